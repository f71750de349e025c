// `npm run audit:verify`: see src/lib/server/cli/index.ts.
import { main, auditVerifyCommand } from '../src/lib/server/cli/index';

await main(auditVerifyCommand);

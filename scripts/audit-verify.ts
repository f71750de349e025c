// `npm run audit:verify`: see src/lib/server/app/cli.ts.
import { main, auditVerifyCommand } from '../src/lib/server/app/cli';

await main(auditVerifyCommand);

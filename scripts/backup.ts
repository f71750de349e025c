// `npm run backup`: see src/lib/server/cli/index.ts.
import { main, backupCommand } from '../src/lib/server/cli/index';

await main(backupCommand);

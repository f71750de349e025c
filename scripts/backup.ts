// `npm run backup`: see src/lib/server/app/cli.ts.
import { main, backupCommand } from '../src/lib/server/app/cli';

await main(backupCommand);

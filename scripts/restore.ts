// `npm run restore`: see src/lib/server/app/cli.ts.
import { main, restoreCommand } from '../src/lib/server/app/cli';

await main(restoreCommand);

// `npm run restore`: see src/lib/server/cli/index.ts.
import { main, restoreCommand } from '../src/lib/server/cli/index';

await main(restoreCommand);

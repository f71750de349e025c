// `npm run dossier:verify -- FILE.zip [--db] [--json]`: see src/lib/server/app/dossier-cli.ts.
import { main } from '../src/lib/server/app/cli';
import { dossierVerifyCommand } from '../src/lib/server/app/dossier-cli';

await main(dossierVerifyCommand);

/**
 * `npm run import -- --format disqus|wxr|threadline [--dry-run] FILE`: streams an export
 * into the configured store and prints what was imported and skipped, and why
 * (docs/import.md). Idempotent: importing the same file again changes nothing.
 * Exits 2 on bad arguments, 1 when the file cannot be read as that format.
 */
import { parseArgs } from 'node:util';
import { IMPORT_FORMATS, importFile, type ImportFormat } from '../lib/import/importFile';
import { describeReport } from '../lib/import/runImport';
import { ImportFileError } from '../lib/import/xmlElements';
import { openStore } from '../lib/store';
import { loadConfig } from '../server/config';
import { runScript } from './runScript';

const USAGE = 'usage: npm run import -- --format disqus|wxr|threadline [--dry-run] FILE';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { format: { type: 'string' }, 'dry-run': { type: 'boolean' } }, allowPositionals: true });
  const format = values.format as ImportFormat | undefined;
  if (!format || !IMPORT_FORMATS.includes(format) || positionals.length !== 1) {
    console.error(!format ? '--format is required' : !IMPORT_FORMATS.includes(format) ? `--format must be one of ${IMPORT_FORMATS.join(', ')}` : 'name one file');
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(process.env, { server: false });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const report = await importFile({ store, format, file: positionals[0]!, dryRun: values['dry-run'] ?? false });
    console.log(describeReport(report));
    return 0;
  } catch (err) {
    if (err instanceof ImportFileError) {
      console.error(`import failed: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}

runScript('import', main);

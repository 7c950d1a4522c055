/**
 * `npm run import -- --format disqus|wxr|threadline [--dry-run] FILE`: streams an export
 * into the configured store and prints what was imported and skipped, and why
 * (docs/import.md). Idempotent: importing the same file again changes nothing.
 * Exits 2 on bad arguments, 1 when the file cannot be read as that format.
 */
import { parseArgs } from 'node:util';
import { IMPORT_FORMATS, importFile, type ImportFormat } from '../lib/import/importFile';
import { NOT_PUBLIC_CHOICES, type NotPublicChoice } from '../lib/import/wxr';
import { describeReport } from '../lib/import/runImport';
import { ImportFileError } from '../lib/import/xmlElements';
import { openStore } from '../lib/store';
import { loadConfig } from '../server/config';
import { runScript } from './runScript';

const USAGE = 'usage: npm run import -- --format disqus|wxr|threadline [--dry-run] [--not-public skip|hide] [--source SITE] FILE';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { format: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'not-public': { type: 'string' }, source: { type: 'string' } },
    allowPositionals: true,
  });
  const notPublic = values['not-public'] as NotPublicChoice | undefined;
  if (notPublic !== undefined && !NOT_PUBLIC_CHOICES.includes(notPublic)) {
    console.error(`--not-public must be one of ${NOT_PUBLIC_CHOICES.join(', ')}`);
    console.error(USAGE);
    return 2;
  }
  const format = values.format as ImportFormat | undefined;
  if (!format || !IMPORT_FORMATS.includes(format) || positionals.length !== 1) {
    console.error(!format ? '--format is required' : !IMPORT_FORMATS.includes(format) ? `--format must be one of ${IMPORT_FORMATS.join(', ')}` : 'name one file');
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(process.env, { server: false });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const report = await importFile({ store, format, file: positionals[0]!, dryRun: values['dry-run'] ?? false, notPublic, source: values.source });
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

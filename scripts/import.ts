/**
 * `npm run import -- --format disqus|wxr|threadline [--dry-run] [--report FILE] FILE`: streams an
 * export into the configured store, all or nothing, and prints what was imported and skipped, and
 * why (docs/import.md). Idempotent: importing the same file again changes nothing, and a run that
 * stopped while writing is completed by running it again. The counts are printed on failure too;
 * `--report FILE` writes them as JSON. A progress line goes to stderr for long imports.
 * Exits 2 on bad arguments, 1 when the import stopped (the file cannot be read as that format,
 * the store failed, or it was interrupted).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { IMPORT_FORMATS, importFile, type ImportFormat } from '../lib/import/importFile';
import { NOT_PUBLIC_CHOICES, type NotPublicChoice } from '../lib/import/wxr';
import { progressLine } from '../lib/import/progressLine';
import { reportJson } from '../lib/import/reportJson';
import { describeReport, describeStop, reportOfFailure, type ImportReport } from '../lib/import/runImport';
import { openStore } from '../lib/store';
import { openDryRun } from '../lib/store/dryRunImportStore';
import { loadConfig } from '../server/config';
import { runScript } from './runScript';

const USAGE = `usage: npm run import -- --format ${IMPORT_FORMATS.join('|')} [--dry-run] [--report FILE] [--not-public skip|hide] [--source SITE] FILE`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { format: { type: 'string' }, 'dry-run': { type: 'boolean' }, report: { type: 'string' }, 'not-public': { type: 'string' }, source: { type: 'string' } },
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
  const location = { databaseUrl: config.databaseUrl, dataDir: config.dataDir };
  const store = values['dry-run'] ? await openDryRun(location) : await openStore(location);

  // Ctrl-C (or a TERM) stops the run between two batches, so it can still say where it stopped; a second one ends it at once.
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort(new Error(`interrupted (${signal})`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const progress = progressLine({ stream: process.stderr });
  let report: ImportReport;
  try {
    report = await importFile({ store, format, file: positionals[0]!, notPublic, source: values.source, onProgress: progress.update, signal: interrupt.signal });
  } catch (err) {
    const failed = reportOfFailure(err);
    if (!failed) throw err;
    report = failed;
  } finally {
    progress.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }

  console.log(describeReport(report));
  if (values.report) writeReport(values.report, report);
  const stop = describeStop(report);
  if (stop) console.error(stop);
  return stop ? 1 : 0;
}

/** Written whole or not at all: a script never reads half a report. */
function writeReport(file: string, report: ImportReport): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(temporary, reportJson(report));
  fs.renameSync(temporary, file);
}

runScript('import', main);

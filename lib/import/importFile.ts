import fs from 'node:fs';
import path from 'node:path';
import { CORAL_SOURCE, readCoral } from './coral';
import { DISQUS_SOURCE, readDisqus } from './disqus';
import { readRemark42, REMARK42_SOURCE } from './remark42';
import { runImport, type ImportProgress, type ImportReport, type ImportTarget } from './runImport';
import { readThreadline, THREADLINE_SOURCE } from './threadlineFormat';
import { readWxr, type NotPublicChoice } from './wxr';
import { ImportFileError } from './xmlElements';

export const IMPORT_FORMATS = ['disqus', 'wxr', 'threadline', 'coral', 'remark42'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportFileOptions {
  /** The store, or a dry run's scratch copy of it (`openDryRun`, lib/store/dryRunImportStore.ts). */
  store: ImportTarget;
  format: ImportFormat;
  file: string;
  batchSize?: number;
  /** WXR: posts that are not public are skipped (default) or imported hidden (`--not-public`). */
  notPublic?: NotPublicChoice;
  /** WXR: names the site whose ids these are (`--source`), when the file does not. */
  source?: string;
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
}

/**
 * Streams one file of the given format into the store, all or nothing (docs/import.md). A file that
 * cannot be read to its end, or a run that stops, throws; `reportOfFailure(err)` has the counts.
 */
export async function importFile(options: ImportFileOptions): Promise<ImportReport> {
  const fileName = path.basename(options.file);
  // A Coral export is a folder its reader opens itself; every other format is one file, checked
  // before the run starts so that a missing one is a clear refusal, never a stream error nobody hears.
  let input: fs.ReadStream | undefined;
  const opened = () => (input = openFile(options.file));
  try {
    const common = {
      store: options.store,
      file: options.file,
      ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
      ...(options.onProgress && { onProgress: options.onProgress }),
      ...(options.signal && { signal: options.signal }),
    };
    switch (options.format) {
      case 'disqus':
        return await runImport({ ...common, source: DISQUS_SOURCE, records: readDisqus({ input: opened(), fileName }) });
      case 'wxr':
        return await runImport({ ...common, source: 'wxr', records: readWxr({ input: opened(), fileName, notPublic: options.notPublic, source: options.source }) });
      case 'threadline':
        // Ids are kept: a thread is matched by its id, never merged into another by slug.
        return await runImport({ ...common, source: THREADLINE_SOURCE, attachToSlug: false, records: readThreadline({ input: opened(), fileName }) });
      case 'coral':
        // A folder of collection files, which the reader opens itself (docs/import.md, "Coral").
        return await runImport({ ...common, source: CORAL_SOURCE, records: readCoral({ folder: options.file }) });
      case 'remark42':
        // The file's time stands for the backup's, for comments without a date.
        return await runImport({ ...common, source: REMARK42_SOURCE, records: readRemark42({ input: opened(), fileName, exportedAt: fs.statSync(options.file, { throwIfNoEntry: false })?.mtime.toISOString() }) });
      default: {
        const unknown: never = options.format;
        throw new ImportFileError(`no reader for the format ${String(unknown)}`, undefined);
      }
    }
  } finally {
    input?.destroy();
  }
}

/** The file, streamed in 1 MiB reads (few syscalls on a large file, little heap); refused at once when it is not a readable file. */
function openFile(file: string): fs.ReadStream {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    fs.accessSync(file, fs.constants.R_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImportFileError(`${file} cannot be read: ${code === 'ENOENT' ? 'there is no such file (ENOENT)' : (err as Error).message}`, undefined);
  }
  if (!stat.isFile()) throw new ImportFileError(`${file} cannot be read: it is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}, not an export file`, undefined);
  return fs.createReadStream(file, { highWaterMark: 1 << 20 });
}

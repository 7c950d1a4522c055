import fs from 'node:fs';
import path from 'node:path';
import { CORAL_SOURCE, readCoral } from './coral';
import { DISQUS_SOURCE, readDisqus } from './disqus';
import { readRemark42, REMARK42_SOURCE } from './remark42';
import { runImport, type ImportProgress, type ImportReport, type ImportTarget } from './runImport';
import { readThreadline, THREADLINE_SOURCE } from './threadlineFormat';
import { readWxr, type NotPublicChoice } from './wxr';

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
  // 1 MiB reads: few enough syscalls on a large file, small enough to stay out of the way of the heap.
  const input = fs.createReadStream(options.file, { highWaterMark: 1 << 20 });
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
        return await runImport({ ...common, source: DISQUS_SOURCE, records: readDisqus({ input, fileName }) });
      case 'wxr':
        return await runImport({ ...common, source: 'wxr', records: readWxr({ input, fileName, notPublic: options.notPublic, source: options.source }) });
      case 'threadline':
        // Ids are kept: a thread is matched by its id, never merged into another by slug.
        return await runImport({ ...common, source: THREADLINE_SOURCE, attachToSlug: false, records: readThreadline({ input, fileName }) });
      case 'coral':
        // A folder of collection files, which the reader opens itself (docs/import.md, "Coral"). The stream opened
        // above is not read: its open error (the path is a folder, or missing) is readCoral's to report, in its words.
        input.on('error', () => undefined).destroy();
        return await runImport({ ...common, source: CORAL_SOURCE, records: readCoral({ folder: options.file }) });
      case 'remark42':
        // The file's time stands for the backup's, for comments without a date (a missing file is the stream's to report).
        return await runImport({ ...common, source: REMARK42_SOURCE, records: readRemark42({ input, fileName, exportedAt: fs.statSync(options.file, { throwIfNoEntry: false })?.mtime.toISOString() }) });
    }
  } finally {
    input.destroy();
  }
}

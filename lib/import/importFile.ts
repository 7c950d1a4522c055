import fs from 'node:fs';
import path from 'node:path';
import { DISQUS_SOURCE, readDisqus } from './disqus';
import { runImport, type ImportProgress, type ImportReport, type ImportTarget } from './runImport';
import { readThreadline, THREADLINE_SOURCE } from './threadlineFormat';
import { readWxr } from './wxr';

export const IMPORT_FORMATS = ['disqus', 'wxr', 'threadline'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportFileOptions {
  /** The store, or a dry run's scratch copy of it (`openDryRun`, lib/store/dryRunImportStore.ts). */
  store: ImportTarget;
  format: ImportFormat;
  file: string;
  batchSize?: number;
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
        return await runImport({ ...common, source: 'wxr', records: readWxr({ input, fileName }) });
      case 'threadline':
        // Ids are kept: a thread is matched by its id, never merged into another by slug.
        return await runImport({ ...common, source: THREADLINE_SOURCE, attachToSlug: false, records: readThreadline({ input, fileName }) });
    }
  } finally {
    input.destroy();
  }
}

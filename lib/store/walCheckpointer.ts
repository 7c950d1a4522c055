import { Worker } from 'node:worker_threads';

/** How often the worker folds the WAL back into the database file. */
export const WAL_CHECKPOINT_INTERVAL_MS = 1000;
/**
 * The writer's own automatic checkpoint, a safety net only: with the worker
 * running, the WAL never grows this far (10,000 pages of 4 KiB, about 40 MB).
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;
/** How long closing the database waits for the worker to close its connection. */
const STOP_TIMEOUT_MS = 2000;

// Plain CommonJS run by the worker: its own connection to the same file, a PASSIVE checkpoint on a timer.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 0');
let last = { checkpointed: 0, failed: 0 };
const timer = setInterval(() => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    last.checkpointed += result ? result.checkpointed : 0;
  } catch {
    last.failed += 1; // busy or locked: the next tick tries again
  }
}, workerData.intervalMs);
const closed = new Int32Array(workerData.closed);
parentPort.on('message', (message) => {
  if (message === 'stats') parentPort.postMessage(last);
  if (message === 'stop') {
    clearInterval(timer);
    try { db.close(); } finally {
      Atomics.store(closed, 0, 1);
      Atomics.notify(closed, 0);
      parentPort.close();
    }
  }
});
`;

export interface WalCheckpointer {
  /** Frames folded back so far, and ticks that found the database busy. */
  stats(): Promise<{ checkpointed: number; failed: number }>;
  stop(): void;
}

/**
 * SQLite in WAL mode checkpoints inside the COMMIT that crosses
 * `wal_autocheckpoint` (1,000 pages): that request then writes and fsyncs
 * about 4 MB on the event loop, a stall of 4–15 ms here and far more on a
 * busy disk (docs/benchmarks.md, posting). A worker thread with its own
 * connection checkpoints instead, PASSIVE (it never blocks the writer or a
 * reader), and the writer's automatic checkpoint is kept only as a far-off
 * safety net.
 */
export function startWalCheckpointer(options: { file: string; intervalMs?: number }): WalCheckpointer {
  // Set to 1 by the worker once its connection is closed.
  const closed = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file: options.file, driver: require.resolve('better-sqlite3'), intervalMs: options.intervalMs ?? WAL_CHECKPOINT_INTERVAL_MS, closed },
  });
  // It must never keep the process alive, nor take it down.
  worker.unref();
  worker.on('error', () => undefined);
  let stopped = false;
  return {
    stats() {
      return new Promise((resolve, reject) => {
        if (stopped) return reject(new Error('the checkpointer is stopped'));
        worker.once('message', resolve);
        worker.postMessage('stats');
      });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      worker.postMessage('stop');
      // Waits (a few ms at most; bounded) until the worker's connection is closed, so that whoever closes
      // the database next is its last connection, and its files can be removed at once.
      Atomics.wait(new Int32Array(closed), 0, 0, STOP_TIMEOUT_MS);
    },
  };
}

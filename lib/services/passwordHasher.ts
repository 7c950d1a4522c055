import { Worker } from 'node:worker_threads';
import { AppError } from '../domain/errors';

/**
 * Where passwords are hashed: a few worker threads of their own, each running
 * scrypt synchronously, fed from bounded queues. Not libuv's thread pool
 * (crypto.scrypt's home), which zlib shares: there a burst of sign-ins, 128 MiB
 * and a few hundred milliseconds each, queues every gzipped page behind it
 * (docs/security.md, "Sign-in under attack"). Here at most `workers` hashes run
 * at once (memory: workers × 128 MiB at OWASP's cost), each lane holds at most
 * `workers + queue` sign-ins, and anything more is refused at once with
 * `sign_in_busy`.
 */
export interface HashingOptions {
  /** Hashes that run at once, each on a worker thread of its own (SIGNIN_HASH_WORKERS). */
  workers: number;
  /** Sign-ins each lane may hold beyond `workers` (SIGNIN_HASH_QUEUE): they wait; more are refused. */
  queue: number;
}

export const DEFAULT_HASHING: Readonly<HashingOptions> = { workers: 1, queue: 8 };

/**
 * `known`: a browser that signed in as this account before, and the hashing of a new
 * password by an admin or the command line (a lane of its own, served first, so a
 * flood of strangers cannot starve them); `open`: every other sign-in.
 */
export type HashLane = 'known' | 'open';

export interface ScryptJob {
  password: string;
  salt: Buffer;
  keyLength: number;
  N: number;
  r: number;
  p: number;
}

/** A place in a lane, taken before the work that leads to the hash (the account's lookup), so that work is bounded too. */
export interface HashTicket {
  /** scrypt's key for the job, once a worker is free (lane `known` first). The ticket is used up. */
  derive(job: ScryptJob): Promise<Buffer>;
  /** Gives the place back without hashing (the lookup failed); nothing happens after `derive` or a first release. */
  release(): void;
}

export interface PasswordHasher {
  /**
   * A place in the lane, or `sign_in_busy` (with `retryAfter`) at once when the lane already holds
   * `workers + queue` sign-ins (being looked up, waiting or hashing).
   */
  reserve(lane: HashLane): HashTicket;
  /** Stops the workers (idle ones stop by themselves after a while, and none keeps the process alive). */
  close(): Promise<void>;
}

/**
 * Nice value of a hashing thread (Linux sets it per thread): the lowest priority, so that a page to
 * serve always goes first and a hash runs on the CPU pages leave (at nice 10 a hash would still take
 * about a tenth of a contended core: scheduler weights 110 against 1024).
 */
const HASHING_NICE = 19;
/** A worker with nothing to do for this long is stopped; the next sign-in starts one again (tens of ms). */
const IDLE_MS = 60_000;
/** What a hash is assumed to take before one has been timed (OWASP's cost on a slow core). */
const INITIAL_ESTIMATE_MS = 500;

/**
 * Plain JavaScript, evaluated as the worker's script: nothing to resolve or bundle
 * (tsx, the compiled server and Next.js' bundle all run it alike).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
if (process.platform === 'linux') {
  try { require('node:os').setPriority(workerData.nice); } catch {}
}
parentPort.on('message', (job) => {
  try {
    const key = scryptSync(job.password, Buffer.from(job.salt), job.keyLength, { N: job.N, r: job.r, p: job.p, maxmem: 128 * job.N * job.r * 2 });
    parentPort.postMessage({ key });
  } catch (err) {
    parentPort.postMessage({ error: err && err.message ? err.message : String(err) });
  }
});
`;

interface Pending {
  job: ScryptJob;
  resolve: (key: Buffer) => void;
  reject: (err: unknown) => void;
}

/** A worker thread and the job it runs (null: idle). */
interface Slot {
  worker: Worker;
  current: Pending | null;
  startedAt: number;
  idleTimer: NodeJS.Timeout | null;
}

export function createPasswordHasher(options: HashingOptions = DEFAULT_HASHING): PasswordHasher {
  const { workers, queue } = options;
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`hashing workers must be a whole number ≥ 1, got ${workers}`);
  if (!Number.isInteger(queue) || queue < 0) throw new Error(`hashing queue must be a whole number ≥ 0, got ${queue}`);
  const slots: Slot[] = [];
  const waiting: Record<HashLane, Pending[]> = { known: [], open: [] };
  /** Tickets out per lane: reserved, waiting or hashing. */
  const out: Record<HashLane, number> = { known: 0, open: 0 };
  let estimateMs = INITIAL_ESTIMATE_MS;
  let closed = false;

  const next = (): Pending | undefined => waiting.known.shift() ?? waiting.open.shift();

  function start(slot: Slot, pending: Pending): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    slot.current = pending;
    slot.startedAt = performance.now();
    // Referenced while it works, so that a command-line tool (user:create) waits for its hash.
    slot.worker.ref();
    slot.worker.postMessage(pending.job);
  }

  /** The slot's next job, or, with none waiting, a timer that stops the idle worker. */
  function feed(slot: Slot): void {
    const pending = next();
    if (pending) return start(slot, pending);
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => {
      remove(slot);
      void slot.worker.terminate();
    }, IDLE_MS);
    slot.idleTimer.unref();
  }

  function remove(slot: Slot): void {
    const at = slots.indexOf(slot);
    if (at >= 0) slots.splice(at, 1);
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
  }

  function spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { nice: HASHING_NICE } });
    const slot: Slot = { worker, current: null, startedAt: 0, idleTimer: null };
    worker.on('message', (answer: { key?: Uint8Array; error?: string }) => {
      const done = slot.current;
      slot.current = null;
      // A moving average: what a refusal tells clients to wait.
      estimateMs = estimateMs * 0.8 + (performance.now() - slot.startedAt) * 0.2;
      if (answer.key) done?.resolve(Buffer.from(answer.key));
      else done?.reject(new Error(`password hashing failed: ${answer.error ?? 'unknown error'}`));
      feed(slot);
    });
    const fail = (err: unknown) => {
      if (!slots.includes(slot)) return;
      remove(slot);
      slot.current?.reject(err);
      slot.current = null;
      // What was waiting gets a new worker.
      const pending = closed ? undefined : next();
      if (pending) run(pending);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`password hashing worker exited (code ${code})`)));
    slots.push(slot);
    return slot;
  }

  /** Starts the job on an idle worker (or a new one, up to `workers`); false when all are busy. */
  function run(pending: Pending): boolean {
    const free = slots.find((s) => s.current === null) ?? (slots.length < workers ? spawn() : undefined);
    if (!free) return false;
    start(free, pending);
    return true;
  }

  return {
    reserve(lane) {
      if (closed) throw new Error('the password hasher is closed');
      if (out[lane] >= workers + queue) {
        const ahead = out.known + out.open;
        throw new AppError('sign_in_busy', { retryAfter: Math.max(1, Math.ceil((ahead * estimateMs) / workers / 1000)) });
      }
      out[lane] += 1;
      let used = false;
      let submitted = false;
      const release = () => {
        if (used) return;
        used = true;
        out[lane] -= 1;
      };
      return {
        release,
        derive(job) {
          if (used || submitted) return Promise.reject(new Error('this hashing ticket is used up'));
          submitted = true;
          return new Promise<Buffer>((resolve, reject) => {
            const pending: Pending = {
              job,
              resolve: (key) => (release(), resolve(key)),
              reject: (err) => (release(), reject(err)),
            };
            if (!run(pending)) waiting[lane].push(pending);
          });
        },
      };
    },

    async close() {
      closed = true;
      const gone = new Error('the password hasher is closed');
      for (const pending of [...waiting.known.splice(0), ...waiting.open.splice(0)]) pending.reject(gone);
      await Promise.all(
        [...slots].map((slot) => {
          remove(slot);
          slot.current?.reject(gone);
          return slot.worker.terminate();
        }),
      );
    },
  };
}

import assert from 'node:assert/strict';
import { CommentResponseSchema } from '../../lib/contract';
import type { Store } from '../../lib/store';
import { HttpGuest } from '../testing/http';
import { TEST_SESSION_SECRET } from '../testing/nodes';
import { startNodeProcess, type NodeProcess } from '../testing/nodeProcess';
import type { TestDatabase } from '../../lib/store/testDatabases';
import type { FailoverReader } from '../testing/failoverReader';

/** Two real node processes on one PostgreSQL schema, joined through Redis under a prefix of the test's own. */
export async function startTwoNodes(options: { db: TestDatabase; redisUrl: string; prefix: string; env?: Record<string, string> }): Promise<[NodeProcess, NodeProcess]> {
  const [a, b] = await startNodes({ count: 2, db: options.db, prefix: options.prefix, env: { REDIS_URL: options.redisUrl, ...options.env } });
  return [a!, b!];
}

/** `count` real node processes on one PostgreSQL schema; `env` says how they reach Redis (REDIS_URL or REDIS_CLUSTER_NODES). */
export async function startNodes(options: { count: number; db: TestDatabase; prefix: string; env: Record<string, string> }): Promise<NodeProcess[]> {
  const env = {
    DATABASE_URL: options.db.databaseUrl!,
    DATA_DIR: options.db.dataDir,
    REDIS_PREFIX: options.prefix,
    SESSION_SECRET: TEST_SESSION_SECRET,
    RATE_LIMITS: 'off',
    // Readers hear of the latest seq twice a second, so a message lost with a node is noticed quickly.
    SYNC_INTERVAL_MS: '500',
    ...options.env,
  };
  return Promise.all(Array.from({ length: options.count }, () => startNodeProcess(env)));
}

/**
 * Posts at a steady pace, in turn to every node still alive, until stopped.
 * A node that refuses a connection is dropped from the rotation; the seqs of
 * acknowledged posts are kept (they must all be stored).
 */
export interface Ack {
  seq: number;
  /** The node that answered. */
  url: string;
  /** When the answer arrived. */
  at: number;
}

/** Every answer the writer got, refusals included: what a client saw, and how long it waited. */
export interface WriterAnswer {
  url: string;
  status: number;
  body: unknown;
  retryAfter: string | null;
  ms: number;
  at: number;
}

export function startWriter(options: { urls: string[]; slug: string; intervalMs: number }): {
  acknowledged: number[];
  acks: Ack[];
  answers: WriterAnswer[];
  failures: string[];
  stop(): Promise<void>;
} {
  const guests = options.urls.map((url) => new HttpGuest(url));
  const alive = new Set(guests);
  const acknowledged: number[] = [];
  const acks: Ack[] = [];
  const answers: WriterAnswer[] = [];
  const failures: string[] = [];
  let stopped = false;
  let n = 0;
  const loop = (async () => {
    while (!stopped && alive.size > 0) {
      const started = Date.now();
      const guest = [...alive][n++ % alive.size]!;
      try {
        const res = await guest.post(options.slug, { body: `steady ${n}`, authorName: 'Writer' });
        answers.push({ url: guest.baseUrl, status: res.status, body: res.body, retryAfter: res.headers.get('retry-after'), ms: Date.now() - started, at: Date.now() });
        if (res.status === 201) {
          const { seq } = CommentResponseSchema.parse(res.body).comment;
          acknowledged.push(seq);
          acks.push({ seq, url: guest.baseUrl, at: Date.now() });
        }
        else failures.push(`${guest.baseUrl}: ${res.status} ${JSON.stringify(res.body)}`);
      } catch (err) {
        failures.push(`${guest.baseUrl}: ${(err as Error).message}`);
        alive.delete(guest);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, options.intervalMs - (Date.now() - started))));
    }
  })();
  return {
    acknowledged,
    acks,
    answers,
    failures,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** The thread's stored seqs after `afterSeq`, from the database itself. */
export async function storedSeqs(store: Store, slug: string, afterSeq: number): Promise<number[]> {
  const thread = await store.findThreadRowBySlug(slug);
  assert.ok(thread, `thread ${slug}`);
  return (await store.eventsAfter({ threadId: thread.id, afterSeq, limit: 100_000 })).map((e) => e.seq);
}

/** Every reader holds exactly the stored events: each seq once, in order, no gap, no error. */
export function assertConverged(readers: FailoverReader[], stored: number[]): void {
  for (const [i, r] of readers.entries()) {
    assert.deepEqual(r.reader.errors, [], `reader ${i}: no errors`);
    const seqs = r.reader.seqs();
    if (seqs.length !== stored.length || seqs.some((s, j) => s !== stored[j])) {
      assert.deepEqual(seqs, stored, `reader ${i} (moves ${r.reader.moves}) holds exactly the stored events`);
    }
  }
}

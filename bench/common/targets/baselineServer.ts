/**
 * The baseline: a bare Socket.IO 4.8 node joined to its peers by
 * @socket.io/redis-adapter over ioredis, doing the least a comment board must
 * do to fan out — `POST /comments` → `io.to('thread:<slug>').emit('thread:event', …)`
 * with a payload shaped and sized like Threadline's. No database, no
 * validation beyond what is needed to build the payload: it is the floor the
 * real server is compared with.
 *
 * Env: PORT (0 picks a free one), REDIS_URL (empty: one node, Socket.IO's in-memory adapter), BENCH_REDIS_PREFIX (the adapter's key),
 * BENCH_REDIS_ADAPTER=classic|sharded (PUBLISH, or SPUBLISH with a channel per room as Threadline's sharded mode),
 * BENCH_EXIT_WITH_PARENT=1 to exit when stdin closes (set by the bench).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { answerSubscribes, escapeHtml, exitWithBench, readJson, send, threadRoom } from '../baselineHttp';


const port = Number(process.env.PORT ?? 0);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Without Redis the baseline is one node and the bare `io.to(room).emit` of Socket.IO's default adapter. */
const useRedis = redisUrl !== '';
const prefix = process.env.BENCH_REDIS_PREFIX ?? 'bench-baseline';
const sharded = process.env.BENCH_REDIS_ADAPTER === 'sharded';

/** Per-node, in memory: enough to number events like Threadline does, without a store. */
const seqBySlug = new Map<string, number>();

/** A comment view with Threadline's fields, so the wire payload has the same shape and about the same size. */
function commentView(input: { body: string; authorName: string | null; seq: number }) {
  return {
    id: randomBytes(8).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12),
    parentId: null,
    depth: 1,
    status: 'visible' as const,
    author: { name: input.authorName },
    body: input.body,
    // Threadline renders markdown; a paragraph of escaped text is what it makes of a plain bench body.
    html: `<p>${escapeHtml(input.body)}</p>\n`,
    createdAt: new Date().toISOString(),
    editedAt: null,
    seq: input.seq,
  };
}

async function main(): Promise<void> {
  const pubClient = useRedis ? new Redis(redisUrl) : null;
  const subClient = pubClient ? pubClient.duplicate() : null;

  const httpServer = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/comments') {
      send(res, 404, { error: { code: 'not_found', message: 'No such route.' } });
      return;
    }
    readJson(req).then(
      (input) => {
        const { slug, body, authorName } = (input ?? {}) as { slug?: unknown; body?: unknown; authorName?: unknown };
        if (typeof slug !== 'string' || typeof body !== 'string' || body.length === 0) {
          send(res, 400, { error: { code: 'invalid_request', message: 'slug and body are required.' } });
          return;
        }
        const seq = (seqBySlug.get(slug) ?? 0) + 1;
        seqBySlug.set(slug, seq);
        const comment = commentView({ body, authorName: typeof authorName === 'string' ? authorName : null, seq });
        io.to(threadRoom(slug)).emit('thread:event', { slug, seq, type: 'comment.created', comment });
        send(res, 201, { comment });
      },
      () => send(res, 400, { error: { code: 'invalid_json', message: 'The request body is not valid JSON.' } }),
    );
  });

  const io = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    ...(pubClient && subClient
      ? {
          adapter: sharded
            ? createShardedAdapter(pubClient, subClient, { channelPrefix: prefix, subscriptionMode: 'dynamic' })
            : createAdapter(pubClient, subClient, { key: prefix }),
        }
      : {}),
  });

  answerSubscribes(io, (slug) => seqBySlug.get(slug) ?? 0);

  await new Promise<void>((resolve) => httpServer.listen(port, '127.0.0.1', resolve));
  const address = httpServer.address() as AddressInfo;
  console.log(`listening on http://127.0.0.1:${address.port}`);

  // Nothing to flush: close the sockets and exit. Redis connections close with the process (closing them
  // first would reject the adapter's pending commands and crash with a stack trace).
  exitWithBench(() => void io.close());
}

main().catch((err: unknown) => {
  console.error('baseline server could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});

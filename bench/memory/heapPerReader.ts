/**
 * A quick, exact companion to bench/memory: the JavaScript heap one idle
 * subscribed reader costs a node, measured in-process (SQLite store, no
 * Redis) after forced GCs, with the readers in a child process so their own
 * heap is not counted. `--baseline` measures a bare Socket.IO server with the
 * baseline's subscribe handler instead. Not a replacement for the bench (no
 * RSS, no PostgreSQL); it is what a change to the per-socket path is checked
 * with in a minute, and what heap snapshots were taken from
 * (`--snapshot <file>` writes one with the readers connected).
 *
 *   node --expose-gc --import tsx bench/memory/heapPerReader.ts [--readers 1000] [--baseline] [--snapshot file]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import { Server } from 'socket.io';
import { threadRoom } from '../../lib/contract/socket';
import { createTestDatabase } from '../../lib/store/testDatabases';
import { createOpenThread, startNode } from '../../server/testing/nodes';
import { sleep } from '../common/clock';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : (process.argv[i + 1] ?? '');
}

const READERS = Number(flag('--readers') ?? 1000);
const SETTLE_MS = 2500;

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
}

/** Opens `count` readers in a child process, one after another; resolves once all are subscribed. */
function openReaders(args: { url: string; slug: string; afterSeq: number; count: number }): Promise<ChildProcess> {
  const script = `
    const { io } = require('socket.io-client');
    (async () => {
      for (let i = 0; i < ${args.count}; i++) {
        const s = io(${JSON.stringify(args.url)}, { transports: ['websocket'], forceNew: true, reconnection: false });
        await new Promise((resolve) => s.once('connect', resolve));
        await s.emitWithAck('thread:subscribe', { slug: ${JSON.stringify(args.slug)}, afterSeq: ${args.afterSeq} });
      }
      console.log('ready');
    })();
    process.stdin.on('end', () => process.exit(0));
    process.stdin.resume();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`readers exited (${code})`)));
  });
}

async function startTarget(): Promise<{ url: string; slug: string; afterSeq: number; close(): Promise<void> }> {
  if (process.argv.includes('--baseline')) {
    const server = http.createServer();
    const io = new Server(server, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
    // The baseline's subscribe (bench/common/targets/baselineServer.ts): join the room, answer "nothing missed".
    io.on('connection', (socket) => {
      socket.on('thread:subscribe', (request: { slug?: unknown }, ack?: (res: unknown) => void) => {
        const slug = typeof request?.slug === 'string' ? request.slug : null;
        if (!slug) return;
        void socket.join(threadRoom(slug));
        ack?.({ ok: true, thread: { slug, seq: 0, locked: false }, missed: [], resync: false });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, slug: 'heap', afterSeq: 0, close: async () => void (await io.close()) };
  }
  const db = await createTestDatabase('sqlite');
  const node = await startNode({ db, rateLimits: false });
  const thread = await createOpenThread(node.services, 'heap');
  return {
    url: node.baseUrl,
    slug: thread.slug,
    afterSeq: thread.seq,
    async close() {
      await node.close();
      await db.cleanup();
    },
  };
}

async function main(): Promise<void> {
  const target = await startTarget();
  // A few readers first, so compiled code and warmed caches are in "before", not counted per reader.
  const warm = await openReaders({ ...target, count: 20 });
  await sleep(SETTLE_MS);
  collect();
  const before = process.memoryUsage().heapUsed;
  const readers = await openReaders({ ...target, count: READERS });
  await sleep(SETTLE_MS);
  collect();
  const after = process.memoryUsage().heapUsed;
  console.log(`${process.argv.includes('--baseline') ? 'baseline' : 'ours'}: ${READERS} readers, heap ${((after - before) / READERS / 1024).toFixed(2)} KiB per reader`);
  const snapshot = flag('--snapshot');
  if (snapshot) console.log(`heap snapshot: ${v8.writeHeapSnapshot(snapshot)}`);
  readers.stdin?.end();
  warm.stdin?.end();
  await target.close();
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

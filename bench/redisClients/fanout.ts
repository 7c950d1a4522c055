import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { waitFor } from '../../server/testing/wait';
import { percentileOfSorted } from '../common/stats';
import { attachAdapter, type AdapterMode, type ClientKind, type Endpoint } from './clients';

export interface FanoutSize {
  readers: number;
  /** Messages per second published on node A. */
  rate: number;
  seconds: number;
  /** Size of each message's body: about a comment's. */
  payloadBytes: number;
}

export interface FanoutResult {
  published: number;
  /** published × readers: every message to every reader. */
  expected: number;
  delivered: number;
  /** CPU of this whole process (both nodes, both clients' pairs, the readers) per message published. */
  cpuUsPerMessage: number;
  p50Ms: number;
  p99Ms: number;
}

const ROOM = 'thread:bench';

/** Serves `io` on a free loopback port; close() ends the server, its sockets and its adapter. */
export async function listen(io: Server): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer();
  io.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => io.close(() => resolve())) };
}

/**
 * Two Socket.IO nodes joined through Redis by `kind`'s client: readers on node
 * B, messages published on node A at a fixed rate, so every delivery crossed
 * Redis (publish, pub/sub, the subscriber's parse, the adapter's broadcast).
 */
export async function runFanout(kind: ClientKind, options: { endpoint: Endpoint; mode: AdapterMode; prefix: string; size: FanoutSize }): Promise<FanoutResult> {
  const { endpoint, mode, prefix, size } = options;
  const [ioA, ioB] = [new Server(), new Server()];
  ioB.on('connection', (socket) => void socket.join(ROOM));
  const clients = [
    await attachAdapter(kind, ioA, { endpoint, mode, prefix, name: `${prefix}-a` }),
    await attachAdapter(kind, ioB, { endpoint, mode, prefix, name: `${prefix}-b` }),
  ];
  const [nodeA, nodeB] = [await listen(ioA), await listen(ioB)];
  const sockets: Socket[] = [];
  const latencies: number[] = [];
  let probes = 0;
  try {
    for (let i = 0; i < size.readers; i++) {
      const socket = connect(nodeB.url, { transports: ['websocket'], forceNew: true });
      socket.on('m', (m: { t: number }) => void latencies.push(performance.now() - m.t));
      socket.on('probe', () => void probes++);
      sockets.push(socket);
    }
    await waitFor('the readers to connect', () => sockets.every((s) => s.connected));
    // The sharded adapter subscribes to a room's channel when the room appears on B: probe until every reader hears A.
    await waitFor(
      'node A to reach every reader on node B',
      () => {
        ioA.to(ROOM).emit('probe');
        return probes >= size.readers;
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );

    const body = 'x'.repeat(size.payloadBytes);
    const total = size.rate * size.seconds;
    latencies.length = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        // Catch up to the schedule rather than trusting the timer: the rate holds even when a tick is late.
        const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * size.rate));
        for (; sent < due; sent++) ioA.to(ROOM).emit('m', { i: sent, t: performance.now(), body });
        if (sent >= total) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    const expected = total * size.readers;
    // A message that never arrives is reported (delivered < expected), not waited for forever.
    await waitFor('every message to reach every reader', () => latencies.length >= expected, { timeoutMs: 10_000 }).catch(() => undefined);
    const cpu = process.cpuUsage(cpuBefore);
    const sorted = Float64Array.from(latencies).sort();
    return {
      published: total,
      expected,
      delivered: latencies.length,
      cpuUsPerMessage: (cpu.user + cpu.system) / total,
      p50Ms: percentileOfSorted(sorted, 50),
      p99Ms: percentileOfSorted(sorted, 99),
    };
  } finally {
    for (const socket of sockets) socket.disconnect();
    await Promise.all([nodeA.close(), nodeB.close()]);
    await Promise.all(clients.map((c) => c.close()));
  }
}

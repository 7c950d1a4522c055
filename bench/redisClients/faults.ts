import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { listClients } from '../../server/testing/redis';
import type { OwnRedisServer } from '../../server/testing/redisServer';
import { waitFor } from '../../server/testing/wait';
import { listen } from './fanout';
import { attachAdapter, type AdapterMode, type ClientKind } from './clients';

export const FAULTS = ['restart', 'client-kill'] as const;
export type Fault = (typeof FAULTS)[number];

const ROOM = 'thread:bench';
/** A post every 10 ms on node A: recovery is measured to the first one that reaches node B's reader. */
const PUBLISH_EVERY_MS = 10;
/** How long Redis stays down: long enough for the back-off to grow past its first steps. */
const OUTAGE_MS = 1500;

/**
 * Time to recover, in ms: from Redis answering again (restart) or the
 * subscriber's connection being killed (CLIENT KILL), to the first message
 * published on node A that reaches a reader on node B. Runs against a Redis
 * server of its own, never the shared one.
 */
export async function runFault(kind: ClientKind, options: { fault: Fault; redis: OwnRedisServer; mode: AdapterMode; prefix: string }): Promise<number> {
  const { fault, redis, mode, prefix } = options;
  const endpoint = { url: redis.url };
  const [ioA, ioB] = [new Server(), new Server()];
  ioB.on('connection', (socket) => void socket.join(ROOM));
  const subscriberName = `${prefix}-b`;
  const clients = [
    await attachAdapter(kind, ioA, { endpoint, mode, prefix, name: `${prefix}-a` }),
    await attachAdapter(kind, ioB, { endpoint, mode, prefix, name: subscriberName }),
  ];
  const nodes = [await listen(ioA), await listen(ioB)];
  const reader = connect(nodes[1]!.url, { transports: ['websocket'], forceNew: true });
  const arrivals: { sentAt: number; at: number }[] = [];
  reader.on('m', (sentAt: number) => void arrivals.push({ sentAt, at: Date.now() }));
  const publisher = setInterval(() => ioA.to(ROOM).emit('m', Date.now()), PUBLISH_EVERY_MS);
  const firstArrivalSentAfter = (since: number) =>
    waitFor(`a message published after the ${fault} to reach node B`, () => arrivals.find((a) => a.sentAt >= since)?.at, { timeoutMs: 20_000, intervalMs: 2 });
  try {
    await firstArrivalSentAfter(Date.now());
    if (fault === 'restart') {
      await redis.stop();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      await redis.start();
      const back = Date.now();
      return (await firstArrivalSentAfter(back)) - back;
    }
    const { killedAt, goneAt } = await killConnection(redis.url, subscriberName);
    // Only a message sent once the old connection is gone proves the new one: Redis closes a killed
    // client asynchronously, so one published in between may still arrive through it.
    return (await firstArrivalSentAfter(goneAt)) - killedAt;
  } finally {
    clearInterval(publisher);
    reader.disconnect();
    await Promise.all(nodes.map((n) => n.close()));
    await Promise.all(clients.map((c) => c.close()));
  }
}

/** CLIENT KILL of the named connection (the subscriber): when it was killed, and when Redis no longer listed it. */
async function killConnection(url: string, name: string): Promise<{ killedAt: number; goneAt: number }> {
  const admin = new Redis(url);
  try {
    const target = (await listClients(admin)).find((c) => c.name === name);
    if (!target) throw new Error(`no connection named ${name}`);
    const killed = Number(await admin.call('CLIENT', 'KILL', 'ID', target.id));
    if (killed !== 1) throw new Error(`CLIENT KILL ID ${target.id} killed ${killed} connections`);
    const killedAt = Date.now();
    await waitFor('the killed connection to leave CLIENT LIST', async () => !(await listClients(admin)).some((c) => c.id === target.id), { intervalMs: 1 });
    return { killedAt, goneAt: Date.now() };
  } finally {
    admin.disconnect();
  }
}

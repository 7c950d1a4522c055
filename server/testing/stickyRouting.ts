import http from 'node:http';
import https from 'node:https';
import { io as connect } from 'socket.io-client';
import { sample, scrape } from './metrics';
import type { ClientSocket } from './sockets';
import { waitFor, within } from './wait';

/**
 * nginx's ip_hash sends every client address to one node, and hashes only the
 * first three bytes of an IPv4 address. On loopback any 127.x.y.z is ours to
 * connect from, so `127.0.<k>.1` for a few k reach every node: the tests learn
 * which address lands where from each node's open-socket gauge.
 */
function loopbackAddress(k: number): string {
  return `127.0.${k}.1`;
}

/** An agent whose connections (HTTP long-polling and the WebSocket alike) leave from `localAddress`; with `ca`, over TLS trusting it. */
function agentFrom(localAddress: string, ca?: string): http.Agent {
  return ca === undefined ? new http.Agent({ localAddress, keepAlive: true }) : new https.Agent({ localAddress, keepAlive: true, ca });
}

export interface ProxiedSocketOptions {
  /** Through the proxy, from this loopback address. */
  from: string;
  /** `['websocket']`, `['polling']`, or the default: polling first, then the upgrade. */
  transports?: ('polling' | 'websocket')[];
  /** Over TLS: the certificate to trust. */
  ca?: string;
  /** The Origin header a browser on the site would send. */
  origin?: string;
}

/** A Socket.IO client through the proxy from a chosen address (no reconnection; the caller disconnects it). */
export async function connectThrough(proxyUrl: string, options: ProxiedSocketOptions): Promise<ClientSocket> {
  const socket: ClientSocket = connect(proxyUrl, {
    transports: options.transports ?? ['polling', 'websocket'],
    reconnection: false,
    forceNew: true,
    agent: agentFrom(options.from, options.ca) as unknown as string,
    ...(options.origin !== undefined && { extraHeaders: { origin: options.origin } }),
  });
  await within(
    `a Socket.IO connection through ${proxyUrl} from ${options.from}`,
    new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(new Error(`cannot connect through ${proxyUrl} from ${options.from}: ${err.message}`)));
    }),
  );
  return socket;
}

async function openSockets(nodes: string[], token: string): Promise<number[]> {
  return Promise.all(nodes.map(async (node) => sample(await scrape(node, token), 'threadline_open_sockets') ?? 0));
}

/**
 * For each node, a loopback address that the proxy sends to it (`127.0.0.1`
 * first, the address a browser here connects from). Nodes must have
 * METRICS_TOKEN set to `token`, and no other sockets may come or go meanwhile.
 */
export async function addressesByNode(options: { proxyUrl: string; nodes: string[]; token: string }): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const candidates = ['127.0.0.1', ...Array.from({ length: 30 }, (_, i) => loopbackAddress(i + 1))];
  for (const from of candidates) {
    if (found.size === options.nodes.length) break;
    const before = await openSockets(options.nodes, options.token);
    const socket = await connectThrough(options.proxyUrl, { from, transports: ['websocket'] });
    try {
      const grew = await waitFor(`the socket from ${from} to show on a node`, async () => {
        const now = await openSockets(options.nodes, options.token);
        const index = now.findIndex((n, i) => n > before[i]!);
        return index >= 0 ? index : undefined;
      });
      const node = options.nodes[grew]!;
      if (!found.has(node)) found.set(node, from);
    } finally {
      socket.disconnect();
    }
    await waitFor(`the socket from ${from} to close`, async () => (await openSockets(options.nodes, options.token)).every((n, i) => n === before[i]));
  }
  if (found.size < options.nodes.length) {
    throw new Error(`no loopback address reached every node through ${options.proxyUrl}: ${JSON.stringify([...found])}`);
  }
  return found;
}

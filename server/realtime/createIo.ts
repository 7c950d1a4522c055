import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { Server } from 'socket.io';
import { EVENTS, PROTOCOL_VERSION, type GuestIdentity, type ServerInfo } from '../../lib/contract/socket';
import { newGuestId } from '../../lib/domain/guestToken';
import type { Services } from '../../lib/services';
import { guestCookie, guestFromRequest, isHttps } from '../http/guestSession';
import { createOriginPolicy, type OriginPolicy } from '../http/origin';
import { NON_PAGE_CSP, standardHeaders } from '../http/securityHeaders';
import type { Logger } from '../log';
import { instrumentRealtime } from '../metrics/instrumentRealtime';
import type { Metrics } from '../metrics/metrics';
import { fanOutThreadEvents } from './fanout';
import { fanOutNotices } from './notificationFanout';
import { startPresence } from './presence';
import { useRedisAdapter, type RedisFanout } from './redisAdapter';
import type { RedisSettings } from '../redisEndpoint';
import { startSeqSync } from './seqSync';
import { createEventBudget } from './eventBudget';
import { useConnectionGate } from './connectionGate';
import { handshakeOrigin } from './handshakeOrigin';
import { createSocketRouter } from './socketRouter';
import { registerThreadHandlers } from './threadHandlers';
import { registerModerationHandlers } from './moderationHandlers';
import { staffToken } from '../http/staffSession';
import type { IoServer } from './types';

export interface RealtimeOptions {
  httpServer: HttpServer;
  services: Services;
  log: Logger;
  /** Unset: one node, in-memory adapter. */
  redis?: RedisSettings | undefined;
  /** How often readers are told each thread's latest seq. */
  syncIntervalMs?: number;
  presenceFlushMs?: number;
  /** Who may open a connection (the app's one policy); unset: only the app's own origin. */
  origin?: OriginPolicy;
  /** Connections open at once per client address on this node; null: no cap. */
  maxSocketsPerAddress: number | null;
  metrics: Metrics;
  /** What `server:welcome` and `server:hello` announce; unset: PROTOCOL_VERSION (tests play a newer server with another). */
  protocolVersion?: number | undefined;
}

export interface Realtime {
  io: IoServer;
  /** Resolves when Redis answers (at once on a single node); rejects otherwise. */
  pingRedis(): Promise<void>;
  close(): Promise<void>;
}

function serverInfo(protocol: number): ServerInfo {
  return { name: 'threadline', protocol, time: new Date().toISOString() };
}

/**
 * The guest each handshake request was found (or given) in `initial_headers`, read back once by the
 * connection middleware: the cookie's signature is checked once per connection, and nothing is left
 * on the request, which Socket.IO keeps for the connection's lifetime.
 */
const handshakeGuests = new WeakMap<IncomingMessage, { guestId: string; identity: GuestIdentity }>();

function guestOfHandshake(req: IncomingMessage, secret: string): { guestId: string; identity: GuestIdentity } {
  const known = guestFromRequest(req, secret);
  return known ? { guestId: known, identity: 'lasting' } : { guestId: newGuestId(), identity: 'connection' };
}


/** Comments are at most 5,000 characters; a message much bigger is not a comment, and Socket.IO closes its connection. */
export const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;

/** Socket.IO on the same HTTP server (and port) as the pages and the API. */
export function createRealtime(options: RealtimeOptions): Realtime {
  const { services, log } = options;
  const secret = services.sessionSecret;
  const origin = handshakeOrigin(options.origin ?? createOriginPolicy());
  const protocol = options.protocolVersion ?? PROTOCOL_VERSION;
  const io: IoServer = new Server(options.httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
    // Other upgrades on this port (Next.js's dev reload) are routed by the app, not killed here.
    destroyUpgrade: false,
    // Browsers apply no CORS to WebSockets: without this any site could connect with its reader's cookies.
    allowRequest: (req, callback) => {
      const why = origin.refusal(req);
      if (why) log.warn(`refused a Socket.IO handshake: ${why}`);
      origin.isHttps(req); // noted for the guest cookie's Secure below
      callback(why ? 'cross_site' : null, !why);
    },
  });

  // New connections and open ones, per client address: before a session is made for a handshake.
  useConnectionGate(io, { handshakes: services.limiters.socketHandshakes, maxOpen: options.maxSocketsPerAddress, origin, log });

  // Every answer under Socket.IO's path — engine.io's own errors (a bad transport, a path that does not
  // decode, a refused handshake's 403) as well as its handshakes and polls — carries the security headers:
  // engine.io answers those before any listener of the app's runs, so they are set ahead of it here
  // (its `writeHead` keeps headers already set on the response).
  const ioPath = `${io.path()}/`;
  options.httpServer.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith(ioPath)) return;
    for (const [name, value] of Object.entries({ ...standardHeaders({ https: origin.isHttps(req) }), 'content-security-policy': NON_PAGE_CSP })) res.setHeader(name, value);
  });
  io.engine.on('headers', (headers: Record<string, string>, req: IncomingMessage) => {
    Object.assign(headers, standardHeaders({ https: origin.isHttps(req) }));
  });

  // A first-time visitor gets a guest identity with the handshake, as a page load would give one.
  io.engine.on('initial_headers', (headers: Record<string, string>, req: IncomingMessage) => {
    const guest = guestOfHandshake(req, secret);
    handshakeGuests.set(req, guest);
    // A browser that keeps this cookie makes the guest lasting from its next connection on.
    if (guest.identity === 'connection') headers['set-cookie'] = guestCookie(guest.guestId, secret, { secure: isHttps(req) });
  });
  io.use((socket, next) => {
    const req = socket.request;
    const guest = handshakeGuests.get(req) ?? guestOfHandshake(req, secret);
    handshakeGuests.delete(req);
    socket.data.guestId = guest.guestId;
    socket.data.guestIdentity = guest.identity;
    // As the gate (and the edge, for HTTP) judged it: TRUST_PROXY's forwarded address, an IPv6 one by its /64.
    socket.data.address = origin.clientAddress(req);
    const token = staffToken(req);
    if (token) socket.data.staffToken = token;
    next();
  });

  // Every incoming event is counted against the budget first, then handled (socketRouter.ts).
  const router = createSocketRouter({
    check: createEventBudget({ perGuest: services.limiters.socketEvents, perAddress: services.limiters.socketEventsAddress, log }),
    log,
  });
  io.on('connection', (socket) => {
    router.attach(socket);
    socket.emit(EVENTS.welcome, { ...serverInfo(protocol), identity: socket.data.guestIdentity });
  });
  router.answer(EVENTS.hello, async () => ({ data: serverInfo(protocol) }));
  registerThreadHandlers({ router, services, log });
  const stopModeration = registerModerationHandlers({ io, router, services });

  const sync = startSeqSync({ io, store: services.store, log, intervalMs: options.syncIntervalMs });
  // Comments another process commits (`npm run import` into a live thread) reach their readers at once.
  const outsideChanges = services.store.watchThreadChanges({ onChange: sync.threadsChanged, log });
  let redis: RedisFanout | undefined;
  if (options.redis) {
    redis = useRedisAdapter({ io, redis: options.redis, log, onReconnect: () => void sync.now(), metrics: options.metrics });
  }
  const stopFanout = fanOutThreadEvents({ io, bus: services.bus, deletions: services.deletions, badges: services.badges.of });
  const stopNotices = fanOutNotices({ io, deliveries: services.deliveries, queueBus: services.queueBus, queueCount: () => services.store.notifications.queueCount(), log, clustered: Boolean(options.redis) });
  const stopMetrics = instrumentRealtime({ io, bus: services.bus, metrics: options.metrics });
  const stopPresence = startPresence({ io, nodeId: randomBytes(6).toString('hex'), clustered: Boolean(options.redis), flushMs: options.presenceFlushMs });
  services.pulse.useReaderCounts(stopPresence);

  return {
    io,
    async pingRedis() {
      await redis?.ping();
    },
    /**
     * Drops every socket (clients reconnect, to another node behind a balancer,
     * and catch up by seq), then waits for the HTTP requests in flight: a post
     * committed meanwhile is still published, to the other nodes too.
     */
    async close() {
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      stopFanout();
      stopNotices();
      stopMetrics();
      stopModeration();
      stopPresence();
      sync.stop();
      await outsideChanges.close();
      await redis?.close();
    },
  };
}

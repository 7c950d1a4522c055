import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { AppError } from '../../lib/domain/errors';
import { rateLimited, type RateLimiter } from '../../lib/services/rateLimiter';
import { sendError } from '../http/json';
import type { OriginPolicy } from '../http/origin';
import type { Logger } from '../log';
import type { IoServer } from './types';

/** How many refused addresses are remembered so as to log each once. */
const MAX_REMEMBERED_REFUSALS = 10_000;

/** Engine.IO's socket, as far as the gate needs it. */
interface EngineSocket {
  request: IncomingMessage;
  once(event: 'close', listener: () => void): unknown;
}

export interface ConnectionGateOptions {
  /** New connections per client address (RATE_LIMIT_SOCKET_HANDSHAKES). */
  handshakes: RateLimiter;
  /** Connections open at once per client address on this node (MAX_SOCKETS_PER_ADDRESS); null: no cap. */
  maxOpen: number | null;
  /** The app's one policy: who may connect at all, and the client address. */
  origin: OriginPolicy;
  log: Logger;
}

/**
 * Who may open a Socket.IO connection, counted by the client address
 * (docs/security.md, "Rate limits"): at most RATE_LIMIT_SOCKET_HANDSHAKES new
 * connections per window, and MAX_SOCKETS_PER_ADDRESS open at once. A
 * connection without a cookie is a new guest with budgets of its own, so
 * these are what stop a script from opening them by the thousand.
 *
 * It runs as Engine.IO middleware, before a session exists, on the handshake
 * only (a request without `sid`); the connections already open are never
 * touched. A refusal is a 429 with Retry-After and the JSON error every other
 * refusal has, over long-polling and WebSocket alike; browsers try again with
 * Socket.IO's back-off, and the page meanwhile posts over HTTP.
 *
 * Open connections are counted per node, in memory: with nginx's `ip_hash`
 * (deploy/nginx.conf.template) all of one address's connections reach the
 * same node anyway. A handshake takes its place when it is admitted (the
 * session is made a few ticks later, so checking then would let a burst
 * through) and gives it back when the connection closes, or when the
 * handshake fails before there is a connection.
 */
export function useConnectionGate(io: IoServer, options: ConnectionGateOptions): void {
  const { handshakes, maxOpen, origin, log } = options;
  const open = new Map<string, number>();
  /** Handshakes admitted whose connection is not made yet, with the address they hold a place for. */
  const admitted = new Map<IncomingMessage, string>();
  /** Addresses being refused now: each is logged when its refusals begin, not once per refusal. */
  const refusing = new Set<string>();

  const release = (address: string) => {
    const left = (open.get(address) ?? 1) - 1;
    if (left > 0) open.set(address, left);
    else open.delete(address);
  };
  const releaseAdmitted = (req: IncomingMessage) => {
    const address = admitted.get(req);
    if (address === undefined) return;
    admitted.delete(req);
    release(address);
  };

  async function refusal(address: string): Promise<AppError | null> {
    const full = () => maxOpen !== null && (open.get(address) ?? 0) >= maxOpen;
    if (full()) return new AppError('too_many_connections');
    const limit = await handshakes.consume(`handshake:${address}`);
    if (!limit.allowed) return rateLimited(limit.retryAfterMs, 'Too many new connections from your network address. Please wait a moment.');
    // Others may have taken the last places while this one waited for the limiter.
    return full() ? new AppError('too_many_connections') : null;
  }

  io.engine.use((req: IncomingMessage, res: ServerResponse | EngineUpgradeResponse, next: (err?: unknown) => void) => {
    // Requests of a connection already made, and handshakes the origin policy refuses (allowRequest answers those), pass.
    if (isOfAConnection(req) || origin.refusal(req) !== null) return next();
    const address = origin.clientAddress(req);
    refusal(address).then(
      (error) => {
        if (error) {
          if (!refusing.has(address)) {
            log.warn(`refusing Socket.IO connections from ${address}: ${error.code}`);
            // Many addresses refused at once (a flood from many): forget them rather than grow; some are logged again.
            if (refusing.size >= MAX_REMEMBERED_REFUSALS) refusing.clear();
            refusing.add(address);
          }
          return refuse(req, res, error);
        }
        refusing.delete(address);
        open.set(address, (open.get(address) ?? 0) + 1);
        admitted.set(req, address);
        // A handshake that ends without a connection (refused later, or the client went away) gives its place back.
        res.once('close', () => releaseAdmitted(req));
        next();
      },
      (err: unknown) => {
        // The limiter's store failed past its insurance: let the connection in rather than refuse everyone.
        log.error(`socket connection gate failed: ${err instanceof Error ? err.message : String(err)}`);
        next();
      },
    );
  });

  io.engine.on('connection', (socket: EngineSocket) => {
    const address = admitted.get(socket.request);
    if (address === undefined) return;
    admitted.delete(socket.request);
    socket.once('close', () => release(address));
  });
  io.engine.on('connection_error', ({ req }: { req: IncomingMessage }) => releaseAdmitted(req));
}

/**
 * A request of a connection already made carries its `sid`. Engine.IO has parsed the query into
 * `_query` before its middlewares run; parsed again here only if a later version stops doing so.
 */
function isOfAConnection(req: IncomingMessage): boolean {
  const query = (req as IncomingMessage & { _query?: Record<string, string> })._query;
  return query ? Boolean(query.sid) : new URL(req.url ?? '/', 'http://socket').searchParams.has('sid');
}

/** What Engine.IO passes as the response of a WebSocket upgrade: nothing that can write one, so the refusal goes to the socket. */
interface EngineUpgradeResponse {
  once(event: 'close', listener: () => void): unknown;
}

function refuse(req: IncomingMessage, res: ServerResponse | EngineUpgradeResponse, error: AppError): void {
  if (res instanceof ServerResponse) return sendError(res, error);
  writeRefusal(req.socket, error);
}

/** An HTTP answer written straight to an upgrade's socket (Node's way to refuse an upgrade), then the socket is closed. */
function writeRefusal(socket: Duplex, error: AppError): void {
  const body = JSON.stringify({ error: error.toBody() });
  const headers = [
    `HTTP/1.1 ${error.status} ${error.status === 429 ? 'Too Many Requests' : 'Error'}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    'X-Content-Type-Options: nosniff',
    ...(error.retryAfter !== undefined ? [`Retry-After: ${error.retryAfter}`] : []),
  ];
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}

import type { IncomingMessage } from 'node:http';
import type { OriginPolicy } from '../http/origin';

/**
 * The origin policy as a Socket.IO handshake meets it: the connection gate
 * (Engine.IO middleware) and `allowRequest` both ask whether the request may
 * come in, and the gate and the connection middleware both want its client
 * address. Each is judged once per handshake request (with an `Origin` header
 * a judgement parses URLs) and the second asker is told the same: in a
 * reconnect storm the handshake is the per-socket cost that adds up.
 */
export function handshakeOrigin(origin: OriginPolicy): OriginPolicy {
  return { ...origin, refusal: oncePerRequest(origin.refusal), clientAddress: oncePerRequest(origin.clientAddress) };
}

function oncePerRequest<T>(judge: (req: IncomingMessage) => T): (req: IncomingMessage) => T {
  const judged = new WeakMap<IncomingMessage, { value: T }>();
  return (req) => {
    let entry = judged.get(req);
    if (!entry) {
      entry = { value: judge(req) };
      judged.set(req, entry);
    }
    return entry.value;
  };
}

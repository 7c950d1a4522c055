import type { IncomingMessage } from 'node:http';
import type { ClientInfo } from '../../lib/services/spam';
import { clientIp, requestSite } from './origin';

/** Long enough for any real browser's; a longer header is cut, not sent on whole. */
const MAX_HEADER_LENGTH = 1024;

/**
 * What a post's request says about who sent it, for the spam check's outside service: the
 * address and site as the edge judged them (server/http/origin.ts), the browser's user agent and
 * referrer. The same for an HTTP request and for a socket's handshake (whose headers are the
 * browser's when it opened the connection).
 */
export function clientInfo(req: IncomingMessage): ClientInfo {
  return {
    ip: clientIp(req),
    userAgent: header(req, 'user-agent'),
    referrer: header(req, 'referer'),
    site: requestSite(req) ?? '',
  };
}

function header(req: IncomingMessage, name: 'user-agent' | 'referer'): string {
  return (req.headers[name] ?? '').slice(0, MAX_HEADER_LENGTH);
}

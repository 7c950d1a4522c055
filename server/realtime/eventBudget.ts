import { AppError } from '../../lib/domain/errors';
import { consumeOrThrow, type RateLimiter } from '../../lib/services/rateLimiter';
import type { Logger } from '../log';
import type { IoSocket } from './types';

const MESSAGE = 'Too many messages on this connection. Please wait a moment.';
/** Refusals in a row after which a connection is taken for a script and closed. */
export const DISCONNECT_AFTER_REFUSALS = 100;

/**
 * The one budget every incoming socket event is checked against (per guest,
 * so several tabs or nodes share it). An event over budget is not handled: an
 * event with an ack is answered `{ ok: false, error: rate_limited + retryAfter }`,
 * one without is dropped. A connection that goes on sending after a whole
 * hundred refusals in a row is not a page that will slow down: it
 * is disconnected.
 */
export function useEventBudget(options: { socket: IoSocket; limiter: RateLimiter; log: Logger }): void {
  const { socket, limiter, log } = options;
  let refusedInARow = 0;
  socket.use((packet, next) => {
    consumeOrThrow(limiter, `socket:${socket.data.guestId}`, MESSAGE).then(
      () => {
        refusedInARow = 0;
        next();
      },
      (err: unknown) => {
        const ack = packet.at(-1);
        if (typeof ack === 'function' && AppError.is(err)) (ack as (res: unknown) => void)({ ok: false, error: err.toBody() });
        if (!AppError.is(err)) {
          // The limiter's store failed past its insurance: let the event through rather than refuse everyone.
          log.error(`socket event budget failed: ${err instanceof Error ? err.message : String(err)}`);
          return next();
        }
        refusedInARow++;
        if (refusedInARow >= DISCONNECT_AFTER_REFUSALS) {
          log.warn(`disconnecting a socket that kept flooding (${refusedInARow} events refused in a row)`);
          socket.disconnect(true);
        }
      },
    );
  });
}

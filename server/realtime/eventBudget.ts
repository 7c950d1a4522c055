import { AppError } from '../../lib/domain/errors';
import type { RateLimiter } from '../../lib/services/rateLimiter';
import { senderBudget, spendOrThrow } from '../../lib/services/senderBudget';
import type { Logger } from '../log';
import type { EventCheck } from './socketRouter';
import type { IoSocket } from './types';

const MESSAGES = {
  guest: 'Too many messages on this connection. Please wait a moment.',
  address: 'Too many messages from your network address. Please wait a moment.',
};
/** Refusals in a row after which a connection is taken for a script and closed. */
export const DISCONNECT_AFTER_REFUSALS = 100;

/**
 * The one budget every incoming socket event is checked against: per guest
 * (so several tabs or nodes share it) and per client address (so a script
 * opening connections without a cookie, a guest each, shares one). An event
 * over budget is not handled: an
 * event with an ack is answered `{ ok: false, error: rate_limited + retryAfter }`,
 * one without is dropped. A connection that goes on sending after a whole
 * hundred refusals in a row is not a page that will slow down: it
 * is disconnected.
 */
export function createEventBudget(options: { perGuest: RateLimiter; perAddress: RateLimiter; log: Logger }): EventCheck {
  const { log } = options;
  const budget = senderBudget({ action: 'socket', perGuest: options.perGuest, perAddress: options.perAddress, messages: MESSAGES });
  // Counted only for connections that have been refused, so an idle one carries nothing.
  const refusedInARow = new WeakMap<IoSocket, number>();

  return (socket, packet, next) => {
    spendOrThrow(budget, socket.data).then(
      () => {
        refusedInARow.delete(socket);
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
        const refused = (refusedInARow.get(socket) ?? 0) + 1;
        refusedInARow.set(socket, refused);
        if (refused >= DISCONNECT_AFTER_REFUSALS) {
          log.warn(`disconnecting a socket that kept flooding (${refused} events refused in a row)`);
          socket.disconnect(true);
        }
      },
    );
  };
}

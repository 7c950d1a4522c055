import { toAppError } from '../../lib/domain/errors';
import type { Failure } from '../../lib/contract/socket';
import type { Logger } from '../log';

/**
 * Runs a socket handler and acknowledges its result as `{ ok: true, ... }`, or
 * `{ ok: false, error }` with a public error: never a stack, never SQL.
 */
export function respond<T extends object>(options: {
  ack: unknown;
  log: Logger;
  what: string;
  run: () => Promise<T>;
}): void {
  const ack = typeof options.ack === 'function' ? (options.ack as (res: ({ ok: true } & T) | Failure) => void) : undefined;
  options.run().then(
    (data) => ack?.({ ok: true, ...data }),
    (err: unknown) => {
      const error = toAppError(err);
      if (error.status >= 500) options.log.error(`${options.what} failed: ${error.detail ?? error.message}`);
      ack?.({ ok: false, error: error.toBody() });
    },
  );
}

import { ERRORS, type ErrorCode } from '../../lib/contract/errors';
import type { MessageKey, Translator } from './translator';

// Every error code has a message in the catalogs: a new code in lib/contract/errors.ts without one fails the type check here.
type ErrorKey = `error.${ErrorCode}`;
const EVERY_CODE_HAS_A_MESSAGE: ErrorKey extends MessageKey ? true : never = true;
void EVERY_CODE_HAS_A_MESSAGE;

/**
 * What to show a person for an error the server sent: translated by its
 * stable code (the server's English `message` is for logs and API users);
 * an unknown code gets the fallback.
 */
export function errorMessage(t: Translator, error: { code?: string } | null | undefined, fallback: MessageKey = 'error.generic'): string {
  const code = error?.code;
  return code !== undefined && Object.hasOwn(ERRORS, code) ? t.t(`error.${code as ErrorCode}`) : t.t(fallback);
}

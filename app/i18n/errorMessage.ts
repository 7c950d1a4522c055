import { ERRORS, type ErrorCode } from '../../lib/contract/errorCodes';
import type { MessageKey, Translator } from './translator';

// Every error code has a message in the catalogs: a new code in lib/contract/errors.ts without one fails the type check here.
type ErrorKey = `error.${ErrorCode}`;
const EVERY_CODE_HAS_A_MESSAGE: ErrorKey extends MessageKey ? true : never = true;
void EVERY_CODE_HAS_A_MESSAGE;

/** The message of a server error code (the server's English `message` is for logs and API users); an unknown code gets the fallback. */
export function errorKey(code: string | undefined, fallback: MessageKey = 'error.generic'): MessageKey {
  return code !== undefined && Object.hasOwn(ERRORS, code) ? `error.${code as ErrorCode}` : fallback;
}

/** What to show a person for an error the server sent, translated by its stable code. */
export function errorMessage(t: Translator, error: { code?: string } | null | undefined, fallback: MessageKey = 'error.generic'): string {
  return t.t(errorKey(error?.code, fallback));
}

/**
 * An error at sign-in, worded for signing in: the generic `rate_limited` speaks of posting, which
 * a person who was refused after wrong passwords has not been doing.
 */
export function signInErrorKey(code: string | undefined): MessageKey {
  return code === 'rate_limited' ? 'login.tooManyAttempts' : errorKey(code);
}

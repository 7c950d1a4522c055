import { AppError } from '../../domain/errors';
import type { SignInMethod } from '../../domain/identity';
import type { Store } from '../../store/store';
import { hashSecret, looksLikeSecret, newSecret } from './emailLinks';

/** Long enough for a popup to hand its code to the frame, short enough to be worthless in a log or a history. */
export const FRAME_CODE_TTL_MS = 60 * 1000;

/**
 * Hands a sign-in from a first-party page (the sign-in popup) to the embed's cross-site frame,
 * which cannot read the popup's cookie where third-party cookies are blocked: the popup mints a
 * code for its person, posts it to the frame, and the frame swaps it for a session of its own
 * (docs/embed.md, "Signing in inside the embed").
 */
export interface FrameCodes {
  mint(request: { userId: string; method: SignInMethod }): Promise<{ code: string; expiresInMs: number }>;
  /** The person the code was minted for; `sign_in_code_invalid` when it is unknown, used or expired. */
  redeem(code: unknown): Promise<{ userId: string; method: SignInMethod }>;
}

export function createFrameCodes(deps: { store: Store; now?: () => number }): FrameCodes {
  const now = deps.now ?? Date.now;
  return {
    async mint({ userId, method }) {
      const code = newSecret();
      await deps.store.signInLinks.createFrameCode({ codeHash: hashSecret(code), userId, method, expiresAt: new Date(now() + FRAME_CODE_TTL_MS).toISOString() });
      return { code, expiresInMs: FRAME_CODE_TTL_MS };
    },
    async redeem(code) {
      if (typeof code !== 'string' || !looksLikeSecret(code)) throw new AppError('sign_in_code_invalid');
      const result = await deps.store.signInLinks.redeemFrameCode({ codeHash: hashSecret(code), now: new Date(now()).toISOString() });
      if (!result.ok) throw new AppError('sign_in_code_invalid');
      return { userId: result.userId, method: result.method };
    },
  };
}

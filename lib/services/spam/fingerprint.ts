import { createHash } from 'node:crypto';

/**
 * Texts shorter than this (folded) are never counted as repeated: "Thank you!", "+1", "Great
 * article, well said." are posted in many threads by different people every day. Spam that
 * travels from thread to thread carries its pitch, which is longer.
 */
export const MIN_REPEATED_TEXT_LENGTH = 40;

/** The text as compared: Unicode-normalised (NFKC), lower case, runs of whitespace as one space, trimmed. */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** The folded text's SHA-256 (hex), or null when it is too short to count: only the fingerprint is stored, never the text. */
export function textFingerprint(text: string): string | null {
  const folded = foldText(text);
  if (folded.length < MIN_REPEATED_TEXT_LENGTH) return null;
  return createHash('sha256').update(folded).digest('hex');
}

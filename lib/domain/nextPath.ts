/** Where a sign-in leads when it was given nowhere (or nowhere safe) to go. */
export const DEFAULT_NEXT_PATH = '/moderate';

const MAX_LENGTH = 2048;
/** A base of our own that no real address has: a target that resolves to another origin is refused. */
const BASE = 'https://threadline.invalid';
/**
 * A path as a browser sends it: one leading slash (not two, not a backslash after it), then printable
 * ASCII without a backslash. Browsers read `\` as `/` and drop tabs and newlines, so `/\evil.example`
 * and `/<TAB>/evil.example` are `//evil.example`, another site.
 */
const PLAIN_PATH = /^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/;
/** The same once decoded: other characters may appear (`é`), but no backslash, whitespace or control character. */
// eslint-disable-next-line no-control-regex
const DECODED_PATH = /^\/(?![/\\])[^\\\s\u0000-\u001f\u007f-\u009f]*$/;
/** Decoding more often than this to reach a plain path is nothing a real link needs. */
const MAX_DECODINGS = 3;

/**
 * The one check for a redirect target that came from input (`/login?next=…`): a
 * path on this site, which stays on it however often it is decoded on the way,
 * or the fallback (the desk; the front page for a commenter's sign-in). The answer is normalized as a browser would resolve it, so
 * `/moderate/..//evil.example` cannot turn into `//evil.example` later.
 */
export function safeNextPath(value: string | null | undefined, fallback: string = DEFAULT_NEXT_PATH): string {
  if (!value || value.length > MAX_LENGTH || !staysPlainWhenDecoded(value)) return fallback;
  const url = new URL(value, BASE);
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return staysPlainWhenDecoded(path) ? path : fallback;
}

function staysPlainWhenDecoded(value: string): boolean {
  if (!PLAIN_PATH.test(value)) return false;
  let current = value;
  for (let i = 0; i <= MAX_DECODINGS; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return false;
    }
    if (decoded === current) return true;
    if (!DECODED_PATH.test(decoded)) return false;
    current = decoded;
  }
  return false;
}

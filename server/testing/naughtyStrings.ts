import blns from 'big-list-of-naughty-strings';

/**
 * The Big List of Naughty Strings, and what the server must do with each one
 * (docs/security.md, "Bad input"). Shared by server/tests/naughty.integration.test.ts
 * and e2e/naughty.spec.ts. The expectations are written here independently of
 * lib/contract/text.ts, so a mistake there shows up as a disagreement.
 */
const CORPUS: readonly string[] = blns as string[];

/**
 * Strings of our own whose only purpose is a visible side effect if any of
 * them ever ran: each sets `window.__xss` or changes the title.
 */
const SIDE_EFFECT_PROBES: readonly string[] = [
  '<script>window.__xss = "script"</script>',
  '<img src=x onerror="window.__xss = \'img\'">',
  '<svg onload="window.__xss = \'svg\'"></svg>',
  '<iframe srcdoc="<script>parent.__xss = 1</script>"></iframe>',
  '[click](javascript:window.__xss=1)',
  '<a href="javascript:document.title=\'pwned\'">x</a>',
  '<details open ontoggle="document.title=\'pwned\'">',
  '"><script>document.title="pwned"</script>',
  '\'><img src=x onerror=document.title="pwned">',
  '`<script>window.__xss=1</script>`',
  '<style>body{display:none}</style><b onmouseover="window.__xss=1">hover</b>',
  '[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)',
];

/** The corpus and the probes: everything the tests post. */
export const NAUGHTY: readonly string[] = [...CORPUS, ...SIDE_EFFECT_PROBES];

/** What the server stores for a body: line endings as `\n`, trimmed; nothing else changes. */
export const storedBody = (s: string): string => s.replace(/\r\n?/g, '\n').trim();

/** What the server stores for a name: runs of white space as one space, trimmed. */
export const storedName = (s: string): string => s.replace(/\s+/g, ' ').trim();

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
/** Neither white space nor a format or default-ignorable character (zero-width, BOM, fillers…). */
const SEEN = /[^\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** Whether the server must refuse `s` as a comment body (true) or store it (false). */
export function refusedAsBody(s: string): boolean {
  const t = storedBody(s);
  return t === '' || CONTROL.test(t) || !SEEN.test(t) || [...t].length > 5000;
}

/** Whether the server must refuse `s` as a display name. */
export function refusedAsName(s: string): boolean {
  const t = storedName(s);
  return t === '' || CONTROL.test(t) || !SEEN.test(t) || [...t].length > 50 || BIDI.test(t);
}

import type { en } from './messages/en';

/**
 * Interface text in the reader's language. A message is a string with
 * `{name}` placeholders, or a plural message: one string per plural category
 * of the locale (Intl.PluralRules), `{count}` formatted for the locale.
 * English (messages/en.ts) defines the keys; every other catalog must have
 * them all (its type says so, and i18n.test.ts checks the placeholders).
 */
export type Plural = { one?: string; other: string; zero?: string; two?: string; few?: string; many?: string };
export type Message = string | Plural;
export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, Message>;
export type Params = Record<string, string | number>;

export interface Translator {
  locale: string;
  t(key: MessageKey, params?: Params): string;
  /** "3 min ago", "yesterday"; after a week the date itself, in the reader's time zone (`localDate`). */
  relativeTime(iso: string, now: number): string;
  /** The date and time in UTC, said so: the same text on the server and in every browser, for what is rendered before the page is live. */
  formatDate(iso: string): string;
  /**
   * The date and time in the time zone this runs in: the reader's, in a browser (so only once the
   * page is live; the server's zone is nobody's). `long`: with the weekday and the zone's name.
   */
  localDate(iso: string, options?: { long?: boolean }): string;
  formatNumber(n: number): string;
}

/** A message split at its `{name}` placeholders: literals.length === names.length + 1. */
interface Template {
  literals: string[];
  names: string[];
}

function parseTemplate(text: string): Template {
  const literals: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of text.matchAll(/\{(\w+)\}/g)) {
    literals.push(text.slice(last, match.index));
    names.push(match[1]!);
    last = match.index + match[0].length;
  }
  literals.push(text.slice(last));
  return { literals, names };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One formatter, and the texts it made: a page formats each comment's date twice, and the same comments on every view. */
function cachedDates(format: Intl.DateTimeFormat, suffix = ''): (iso: string) => string {
  const formatted = new Map<string, string>();
  return (iso) => {
    const hit = formatted.get(iso);
    if (hit !== undefined) return hit;
    const text = `${format.format(new Date(iso))}${suffix}`;
    if (formatted.size >= 10_000) formatted.clear();
    formatted.set(iso, text);
    return text;
  };
}

const SHORT_DATE: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
const LONG_DATE: Intl.DateTimeFormatOptions = { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };

/** `timeZone`: where `localDate` reads the clock; by default the runtime's own (a browser's is its reader's). */
export function createTranslator(options: { locale: string; catalog: Catalog; timeZone?: string }): Translator {
  const { locale, catalog, timeZone } = options;
  const numbers = new Intl.NumberFormat(locale);
  const plurals = new Intl.PluralRules(locale);
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  const utcDate = cachedDates(new Intl.DateTimeFormat(locale, { ...SHORT_DATE, timeZone: 'UTC' }), ' UTC');
  // Made on first use: on the server, where nothing asks for them, they are never made.
  let shortLocal: ((iso: string) => string) | undefined;
  let longLocal: ((iso: string) => string) | undefined;
  const localDate: Translator['localDate'] = (iso, { long = false } = {}) =>
    long ? (longLocal ??= cachedDates(new Intl.DateTimeFormat(locale, { ...LONG_DATE, timeZone })))(iso) : (shortLocal ??= cachedDates(new Intl.DateTimeFormat(locale, { ...SHORT_DATE, timeZone })))(iso);

  // A page says the same few dozen things hundreds of times (a comment's "by …", its replies' count): each text is
  // split into its literal parts and placeholders once, not searched with a pattern at every call.
  const templates = new Map<string, Template>();
  const fill = (text: string, params: Params | undefined) => {
    if (!params) return text;
    let template = templates.get(text);
    if (template === undefined) templates.set(text, (template = parseTemplate(text)));
    let out = template.literals[0]!;
    for (let i = 0; i < template.names.length; i++) {
      const name = template.names[i]!;
      const value = params[name];
      out += (value === undefined ? `{${name}}` : typeof value === 'number' ? numbers.format(value) : String(value)) + template.literals[i + 1]!;
    }
    return out;
  };

  const t = (key: MessageKey, params?: Params): string => {
    // Every catalog has every key (its type, and i18n.test.ts): English is not shipped beside another locale to stand in.
    const message: Message = catalog[key] ?? key;
    if (typeof message === 'string') return fill(message, params);
    const count = Number(params?.count ?? 0);
    // Below zero is an overrun ("-1 characters left"), not a count of one thing: the general form.
    const category = count === 0 && message.zero !== undefined ? 'zero' : count < 0 ? 'other' : plurals.select(count);
    return fill(message[category as keyof Plural] ?? message.other, params);
  };

  return {
    locale,
    t,
    relativeTime(iso, now) {
      const ago = now - Date.parse(iso);
      if (ago < 45_000) return t('time.justNow');
      if (ago < HOUR) return relative.format(-Math.round(ago / MINUTE), 'minute');
      if (ago < DAY) return relative.format(-Math.round(ago / HOUR), 'hour');
      if (ago < 7 * DAY) return relative.format(-Math.round(ago / DAY), 'day');
      return localDate(iso);
    },
    formatDate: utcDate,
    localDate,
    formatNumber: (n) => numbers.format(n),
  };
}

import { en } from './messages/en';

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
  /** "3 min ago", "yesterday"; the date itself after a week. */
  relativeTime(iso: string, now: number): string;
  formatDate(iso: string): string;
  formatNumber(n: number): string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function createTranslator(options: { locale: string; catalog: Catalog }): Translator {
  const { locale, catalog } = options;
  const numbers = new Intl.NumberFormat(locale);
  const plurals = new Intl.PluralRules(locale);
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  // A page formats each comment's date twice, and the same comments on every view.
  const formatted = new Map<string, string>();

  const fill = (text: string, params: Params | undefined) =>
    params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? (typeof params[name] === 'number' ? numbers.format(params[name]) : String(params[name])) : whole)) : text;

  const t = (key: MessageKey, params?: Params): string => {
    const message = catalog[key] ?? en[key];
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
      return this.formatDate(iso);
    },
    formatDate(iso) {
      const hit = formatted.get(iso);
      if (hit !== undefined) return hit;
      const text = `${dates.format(new Date(iso))} UTC`;
      if (formatted.size >= 10_000) formatted.clear();
      formatted.set(iso, text);
      return text;
    },
    formatNumber: (n) => numbers.format(n),
  };
}

import { catalogOf } from './catalogs';
import { createTranslator, type Translator } from './translator';

/**
 * The languages the interface speaks. To add one: a catalog in messages/ (typed `Catalog`, so a
 * missing key fails the type check), a line in ./catalogs.ts and ./catalogs.islands.ts, and its code here.
 */
export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/**
 * The best locale for an `Accept-Language` header: by quality, then order;
 * `de-AT` matches `de`; nothing we speak falls back to English.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranges = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...attrs] = part.trim().split(';');
      const q = attrs.map((a) => /^\s*q=([0-9.]+)\s*$/.exec(a)).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((r) => r.tag !== '' && r.q > 0 && Number.isFinite(r.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranges) {
    const base = tag.split('-')[0]!;
    if (isLocale(base)) return base;
  }
  return DEFAULT_LOCALE;
}

const translators = new Map<Locale, Translator>();

/**
 * One translator per locale, built once (its Intl formatters are not free). In the reader pages'
 * script the locale's catalog must have been loaded first (./catalogs.islands.ts, loadCatalog).
 */
export function translatorFor(locale: Locale): Translator {
  let translator = translators.get(locale);
  if (!translator) {
    translator = createTranslator({ locale, catalog: catalogOf(locale) });
    translators.set(locale, translator);
  }
  return translator;
}

import { de } from './messages/de';
import { en } from './messages/en';
import type { Locale } from './locales';
import type { Catalog } from './translator';

/**
 * Every locale's catalog, at hand: for the server, Next.js's own pages and the tests. The reader
 * pages' script is built with ./catalogs.islands.ts in this module's place (server/build/islands.js),
 * which loads only the page's locale.
 */
export const CATALOGS = { en, de } satisfies Record<Locale, Catalog>;

export function catalogOf(locale: Locale): Catalog {
  return CATALOGS[locale];
}

/** Here every catalog is loaded already: the same call as the reader pages' script makes. */
export async function loadCatalog(_locale: Locale): Promise<void> {}

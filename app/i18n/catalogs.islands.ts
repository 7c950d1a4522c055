import type { Locale } from './locales';
import type { Catalog } from './translator';

/**
 * The reader pages' script's catalogs (built in place of ./catalogs.ts by server/build/islands.js):
 * each locale's words are a chunk of their own, and a page loads only its own locale's, which it
 * names among the chunks it preloads (the build's manifest, `locales`). The article page carried
 * every locale's words before, a sixth of its script.
 */
const LOADERS: Record<Locale, () => Promise<Catalog>> = {
  en: () => import('./messages/en').then((m) => m.en),
  de: () => import('./messages/de').then((m) => m.de),
};

const loaded: Partial<Record<Locale, Catalog>> = {};

export function catalogOf(locale: Locale): Catalog {
  const catalog = loaded[locale];
  if (!catalog) throw new Error(`the ${locale} catalog is not loaded: await loadCatalog('${locale}') before rendering`);
  return catalog;
}

/** Loads the locale's words (once); the page's translator needs them. */
export async function loadCatalog(locale: Locale): Promise<void> {
  loaded[locale] ??= await LOADERS[locale]();
}

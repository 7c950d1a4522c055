'use client';

import { createContext, useContext, type ReactNode } from 'react';
import { DEFAULT_LOCALE, translatorFor, type Locale } from './locales';
import type { Translator } from './translator';

const LocaleContext = createContext<Locale>(DEFAULT_LOCALE);

/** Passes the locale the server negotiated to client components, so both render the same words. */
export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

/** For client components: the translator of the page's locale. */
export function useTranslator(): Translator {
  return translatorFor(useContext(LocaleContext));
}

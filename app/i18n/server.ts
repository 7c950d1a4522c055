import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { negotiateLocale, translatorFor, type Locale } from './locales';
import type { MessageKey, Translator } from './translator';

/** The reader's locale, negotiated from the request's Accept-Language. */
export async function requestLocale(): Promise<Locale> {
  return negotiateLocale((await headers()).get('accept-language'));
}

/** For server components: the translator of the request's locale. */
export async function serverTranslator(): Promise<Translator> {
  return translatorFor(await requestLocale());
}

/** A page's `generateMetadata` when its title is one message, in the request's locale. */
export function translatedTitle(key: MessageKey): () => Promise<Metadata> {
  return async () => ({ title: (await serverTranslator()).t(key) });
}

import { headers } from 'next/headers';
import { negotiateLocale, translatorFor, type Locale } from './locales';
import type { Translator } from './translator';

/** The reader's locale, negotiated from the request's Accept-Language. */
export async function requestLocale(): Promise<Locale> {
  return negotiateLocale((await headers()).get('accept-language'));
}

/** For server components: the translator of the request's locale. */
export async function serverTranslator(): Promise<Translator> {
  return translatorFor(await requestLocale());
}

import type { AppProps } from 'next/app';
import '../app/globals.css';

/** The reader pages (app/readerPages) render whole; the site's one stylesheet is theirs too. */
export default function ReaderApp({ Component, pageProps }: AppProps) {
  return <Component {...pageProps} />;
}

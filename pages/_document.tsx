import { Head, Html, Main, NextScript, type DocumentProps } from 'next/document';
import type { ReaderPageProps } from '../app/readerPages/ReaderPage';

/**
 * `<html>` as the reader page says: its language, and the embed's theme classes. `<NextScript />` adds
 * nothing in a production build (the pages set `unstable_runtimeJS: false`). In development Next.js
 * adds its runtime regardless; the page's Content-Security-Policy refuses it (it carries no nonce),
 * so a reader page runs its island's script alone there too, and the console lists the refused loads.
 */
export default function ReaderDocument(props: DocumentProps) {
  const page = props.__NEXT_DATA__.props?.pageProps as Partial<ReaderPageProps> | undefined;
  return (
    <Html lang={page?.document?.lang ?? 'en'} className={page?.document?.className ?? undefined}>
      <Head />
      <body>
        <Main />
        <NextScript />
      </body>
    </Html>
  );
}

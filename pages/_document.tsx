import { Head, Html, Main, NextScript, type DocumentProps } from 'next/document';
import type { ReaderPageProps } from '../app/readerPages/ReaderPage';

/** `<html>` as the reader page says: its language, and the embed's theme classes. */
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

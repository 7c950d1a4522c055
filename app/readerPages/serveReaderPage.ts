import type { GetServerSideProps } from 'next';
import type { ReaderPageProps } from './ReaderPage';
import type { ReaderPageResult } from './readerPageProps';
import { readerRequest, type ReaderRequest } from './readerRequest';

/** A page for one reader (the no-JavaScript flows' answers, a hidden thread): no cache but the reader's may keep it, and theirs not for long. */
export const PERSONAL_PAGE_CACHE_CONTROL = 'private, no-cache';
/** Tells the server's page cache when a page's words go out of date (ms since the epoch); the cache keeps it to itself. */
export const WORDS_HOLD_UNTIL_HEADER = 'x-words-hold-until';

/**
 * A reader page's `getServerSideProps` (pages/): its props from the request and the route's parameters, with
 * its status (404 when there is nothing). A page that is not the same for everyone (ReaderPageResult's
 * `shareable`) says so: no shared cache keeps it.
 */
export function serveReaderPage<P extends Record<string, string>>(render: (request: ReaderRequest, params: P) => Promise<ReaderPageResult>): GetServerSideProps<ReaderPageProps, P> {
  return async ({ req, res, query, params }) => {
    const { status, shareable, holdsUntil, props } = await render(readerRequest(req, query), params!);
    res.statusCode = status;
    if (!shareable) res.setHeader('cache-control', PERSONAL_PAGE_CACHE_CONTROL);
    else if (holdsUntil !== null) res.setHeader(WORDS_HOLD_UNTIL_HEADER, String(holdsUntil));
    return { props };
  };
}

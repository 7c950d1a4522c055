import type { GetServerSideProps } from 'next';
import type { ReaderPageProps } from './ReaderPage';
import type { ReaderPageResult } from './readerPageProps';
import { readerRequest, type ReaderRequest } from './readerRequest';

/** A reader page's `getServerSideProps` (pages/): its props from the request and the route's parameters, with its status (404 when there is nothing). */
export function serveReaderPage<P extends Record<string, string>>(render: (request: ReaderRequest, params: P) => Promise<ReaderPageResult>): GetServerSideProps<ReaderPageProps, P> {
  return async ({ req, res, query, params }) => {
    const { status, props } = await render(readerRequest(req, query), params!);
    res.statusCode = status;
    return { props };
  };
}

import type { GetServerSideProps } from 'next';
import { ReaderPage, type ReaderPageProps } from '../../app/readerPages/ReaderPage';
import { embedPage } from '../../app/readerPages/readerPageProps';
import { readerRequest } from '../../app/readerPages/readerRequest';

/** No script of Next.js's: the page's discussion is an island with a script of its own (app/readerPages). */
export const config = { unstable_runtimeJS: false };

export const getServerSideProps: GetServerSideProps<ReaderPageProps, { slug: string }> = async ({ req, res, query, params }) => {
  const { status, props } = await embedPage(readerRequest(req, query), params!.slug);
  res.statusCode = status;
  return { props };
};

export default ReaderPage;

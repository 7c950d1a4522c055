import { ReaderPage } from '../../../../app/readerPages/ReaderPage';
import { branchPage } from '../../../../app/readerPages/readerPageProps';
import { serveReaderPage } from '../../../../app/readerPages/serveReaderPage';

/** No script of Next.js's: the page's discussion is an island with a script of its own (app/readerPages). */
export const config = { unstable_runtimeJS: false };

export const getServerSideProps = serveReaderPage<{ slug: string; id: string }>((request, { slug, id }) => branchPage(request, slug, id));

export default ReaderPage;

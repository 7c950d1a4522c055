import { ReaderPage } from '../../app/readerPages/ReaderPage';
import { embedPage } from '../../app/readerPages/readerPageProps';
import { serveReaderPage } from '../../app/readerPages/serveReaderPage';

/** No script of Next.js's: the page's discussion is an island with a script of its own (app/readerPages). */
export const config = { unstable_runtimeJS: false };

export const getServerSideProps = serveReaderPage<{ slug: string }>((request, { slug }) => embedPage(request, slug));

export default ReaderPage;

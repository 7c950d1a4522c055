import type { Metadata } from 'next';
import { CommentIdSchema, CursorSchema, UNTIL_END, UNTIL_PARAM, UntilSchema, cursorFitsSort } from '../../../lib/contract';
import { LiveThread } from '../../components/live/LiveThread';
import { loadThreadDetail, loadThreadPage, sortFrom } from '../../components/loadThreadPage';
import { firstParam, liveThreadBase, viewerGuestId, type RoutePageProps } from '../../components/viewer';

export const dynamic = 'force-dynamic';

type Props = RoutePageProps<{ slug: string }>;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  // The title only: the comments are read once, by the page itself.
  return { title: (await loadThreadDetail(slug)).title, alternates: { types: { 'application/atom+xml': `/articles/${slug}/feed.xml` } } };
}

export default async function ArticlePage({ params, searchParams }: Props) {
  const { slug } = await params;
  const query = await searchParams;
  // `?after=`: the no-JavaScript "More comments" link; a bad cursor just shows the first page.
  const after = CursorSchema.safeParse(firstParam(query.after));
  const sort = sortFrom(query.sort);
  const afterCursor = after.success && cursorFitsSort(sort, after.data);
  // `?until=`: the pages the reader had loaded with "More comments" (set by the page as they load), back after a reload.
  const until = UntilSchema.safeParse(firstParam(query[UNTIL_PARAM]));
  const untilFits = until.success && (until.data === UNTIL_END || cursorFitsSort(sort, until.data));
  const page = await loadThreadPage({ slug, sort, viewerGuestId: await viewerGuestId(), ...(afterCursor && { after: after.data }), ...(untilFits && { until: until.data }) });
  const { thread } = page;
  const replyTo = CommentIdSchema.safeParse(firstParam(query.replyTo));
  const error = firstParam(query.error);
  return (
    <>
      <article className="story" aria-labelledby="story-title">
        <h1 id="story-title" className="story-title">
          {thread.title}
        </h1>
        <div className="story-body">
          {page.articleParagraphs.map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </div>
      </article>
      <section id="comments" className="discussion" aria-labelledby="comments-heading">
        <LiveThread
          {...(await liveThreadBase(page, { afterCursor }))}
          sort={page.sort}
          rootId={null}
          replyTo={replyTo.success ? replyTo.data : null}
          formError={error ? { code: error, field: firstParam(query.field) ?? null } : null}
          likeError={firstParam(query.likeError) ?? null}
        />
      </section>
    </>
  );
}

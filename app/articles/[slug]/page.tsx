import type { Metadata } from 'next';
import { CommentTree } from '../../components/CommentTree';
import { DiscussionHeader, LockedBanner } from '../../components/DiscussionHeader';
import { loadThreadPage, sortFrom } from '../../components/loadThreadPage';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const page = await loadThreadPage({ slug });
  return { title: page.thread.title };
}

export default async function ArticlePage({ params, searchParams }: Props) {
  const { slug } = await params;
  const page = await loadThreadPage({ slug, sort: sortFrom((await searchParams).sort) });
  const { thread } = page;
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
        <DiscussionHeader thread={thread} sort={page.sort} basePath={`/articles/${thread.slug}`} />
        {thread.locked ? <LockedBanner /> : null}
        {page.tree.length === 0 ? <p className="empty-state">No comments yet.</p> : <CommentTree nodes={page.tree} slug={thread.slug} />}
      </section>
    </>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CommentIdSchema } from '../../../../../lib/contract/api';
import { CommentTree } from '../../../../components/CommentTree';
import { LockedBanner } from '../../../../components/DiscussionHeader';
import { loadThreadPage } from '../../../../components/loadThreadPage';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ slug: string; id: string }>;
}

async function load(params: Props['params']) {
  const { slug, id } = await params;
  if (!CommentIdSchema.safeParse(id).success) notFound();
  return loadThreadPage({ slug, rootId: id });
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const page = await load(params);
  return { title: `A branch of “${page.thread.title}”` };
}

/** One branch of a thread, for replies nested deeper than the article page shows. */
export default async function BranchPage({ params }: Props) {
  const page = await load(params);
  const { thread, root } = page;
  const threadPath = `/articles/${thread.slug}`;
  return (
    <section className="discussion branch" aria-labelledby="branch-heading">
      <p className="breadcrumbs">
        <Link href={threadPath}>{thread.title}</Link>
      </p>
      <h1 id="branch-heading" className="page-title">
        A branch of the discussion
      </h1>
      <nav className="branch-nav" aria-label="Thread navigation">
        <a href={`${threadPath}#c-${root!.id}`}>← Back to the full discussion</a>
        {root!.parentId ? <a href={`${threadPath}/comments/${root!.parentId}`}>↑ Parent comment</a> : null}
      </nav>
      {thread.locked ? <LockedBanner /> : null}
      <CommentTree nodes={page.tree} slug={thread.slug} />
    </section>
  );
}

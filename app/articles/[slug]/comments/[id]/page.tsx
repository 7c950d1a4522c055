import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CommentIdSchema } from '../../../../../lib/contract/api';
import { serverTranslator } from '../../../../i18n/server';
import { LiveThread } from '../../../../components/live/LiveThread';
import { loadThreadPage } from '../../../../components/loadThreadPage';
import { firstParam, liveThreadBase, viewerGuestId, type RoutePageProps } from '../../../../components/viewer';

export const dynamic = 'force-dynamic';

type Props = RoutePageProps<{ slug: string; id: string }>;

async function load(params: Props['params']) {
  const { slug, id } = await params;
  if (!CommentIdSchema.safeParse(id).success) notFound();
  return loadThreadPage({ slug, rootId: id, viewerGuestId: await viewerGuestId() });
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const page = await load(params);
  return { title: (await serverTranslator()).t('branch.metaTitle', { title: page.thread.title }) };
}

/** One branch of a thread, for replies nested deeper than the article page shows. */
export default async function BranchPage({ params, searchParams }: Props) {
  const page = await load(params);
  const query = await searchParams;
  const { thread, root } = page;
  const t = await serverTranslator();
  const threadPath = `/articles/${thread.slug}`;
  const replyTo = CommentIdSchema.safeParse(firstParam(query.replyTo));
  return (
    <section className="discussion branch" aria-labelledby="branch-heading">
      <p className="breadcrumbs">
        <Link href={threadPath}>{thread.title}</Link>
      </p>
      <h1 id="branch-heading" className="page-title">
        {t.t('branch.title')}
      </h1>
      <nav className="branch-nav" aria-label={t.t('branch.nav')}>
        <a href={`${threadPath}#c-${root!.id}`}>{t.t('branch.back')}</a>
        {root!.parentId ? <a href={`${threadPath}/comments/${root!.parentId}`}>{t.t('branch.parent')}</a> : null}
      </nav>
      <LiveThread
        {...(await liveThreadBase(page))}
        sort="oldest"
        rootId={root!.id}
        replyTo={replyTo.success ? replyTo.data : null}
        formError={null}
      />
    </section>
  );
}

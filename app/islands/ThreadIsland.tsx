import { EmbedDiscussion } from '../embed/EmbedDiscussion';
import { EmbedFrame } from '../embed/EmbedFrame';
import { LiveThread, type LiveThreadHost } from '../components/live/LiveThread';
import { I18nProvider, useTranslator } from '../i18n/I18nProvider';
import type { ThreadIslandData } from './islandData';

/**
 * The discussion of a reader page: the one React tree of the page. The server renders it to
 * HTML (react-dom/server) and the browser hydrates the same tree from the same data, so the
 * markup matches (useId's ids included: the island is a React root of its own on both sides).
 * What is around it on the page (the article, the site's header) is plain HTML.
 */
export function ThreadIsland({ data, onStaff, onAccount }: { data: ThreadIslandData; onStaff?: LiveThreadHost['onStaff']; onAccount?: LiveThreadHost['onAccount'] }) {
  return <I18nProvider locale={data.locale}>{islandBody(data, onStaff, onAccount)}</I18nProvider>;
}

function islandBody(data: ThreadIslandData, onStaff: LiveThreadHost['onStaff'], onAccount: LiveThreadHost['onAccount']) {
  switch (data.kind) {
    case 'article':
      return <LiveThread {...data.thread} onStaff={onStaff} onAccount={onAccount} />;
    case 'branch':
      return (
        <>
          <BranchHeading slug={data.thread.slug} {...data.branch} />
          <LiveThread {...data.thread} onStaff={onStaff} onAccount={onAccount} />
        </>
      );
    case 'embed':
      return (
        <EmbedFrame slug={data.thread.slug} hostUrl={data.embed.hostUrl}>
          <section id="comments" className="discussion discussion-embedded" aria-labelledby="comments-heading">
            <EmbedDiscussion thread={data.thread} onStaff={onStaff} />
          </section>
        </EmbedFrame>
      );
  }
}

/** A branch page's way back to its thread. */
function BranchHeading({ slug, title, rootId, parentId }: { slug: string; title: string; rootId: string; parentId: string | null }) {
  const t = useTranslator();
  const threadPath = `/articles/${slug}`;
  return (
    <>
      <p className="breadcrumbs">
        <a href={threadPath}>{title}</a>
      </p>
      <h1 id="branch-heading" className="page-title">
        {t.t('branch.title')}
      </h1>
      <nav className="branch-nav" aria-label={t.t('branch.nav')}>
        <a href={`${threadPath}#c-${rootId}`}>{t.t('branch.back')}</a>
        {parentId ? <a href={`${threadPath}/comments/${parentId}`}>{t.t('branch.parent')}</a> : null}
      </nav>
    </>
  );
}

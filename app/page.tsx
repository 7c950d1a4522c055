import { ThreadCursorSchema, type ThreadListResponse } from '../lib/contract/api';
import { AppError } from '../lib/domain/errors';
import { getServices } from '../lib/services/registry';
import { commentCountLabel } from './components/labels';
import { firstParam, type SearchParams } from './components/viewer';
import { serverTranslator } from './i18n/server';
import { TitledPage } from './components/TitledPage';

// Always read the store at request time: the list changes as people comment.
export const dynamic = 'force-dynamic';

/**
 * One page of the list (`?after=`: the page after that cursor). A cursor this server did not hand out
 * (an old bookmark, a typo) shows the first page, as a bad `?after=` on an article page does.
 */
async function threadsPage(after: string | undefined): Promise<ThreadListResponse & { first: boolean }> {
  const threads = getServices().threads;
  const cursor = ThreadCursorSchema.safeParse(after);
  if (!cursor.success) return { ...(await threads.listThreads()), first: true };
  try {
    return { ...(await threads.listThreads({ after: cursor.data })), first: false };
  } catch (err) {
    if (!AppError.is(err) || err.code !== 'invalid_request') throw err;
    return { ...(await threads.listThreads()), first: true };
  }
}

/** The newest discussions, a page at a time: plain links, so paging works without JavaScript. */
export default async function HomePage({ searchParams }: { searchParams: SearchParams }) {
  const { threads, next, first } = await threadsPage(firstParam((await searchParams).after));
  const t = await serverTranslator();
  return (
    <TitledPage headingId="articles-heading" title={t.t('home.title')}>
      {threads.length === 0 ? (
        <p className="empty-state">{t.t('home.empty')}</p>
      ) : (
        <ul className="article-list">
          {threads.map((thread) => (
            <li key={thread.slug} className="article-list-item">
              {/* A plain link: an article is a pages route (app/readerPages), which Next.js's <Link> would prefetch by rendering it whole. */}
              <a href={`/articles/${thread.slug}`} className="article-list-title">
                {thread.title}
              </a>
              <span className="article-list-meta">
                <span className="comment-count">{commentCountLabel(t, thread.commentCount)}</span>
                {thread.locked ? <span className="badge badge-locked">{t.t('home.closed')}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      )}
      {first && next === null ? null : (
        <nav className="list-pages" aria-label={t.t('home.pages')}>
          {first ? null : <a href="/">{t.t('home.newest')}</a>}
          {next === null ? null : (
            <a href={`/?after=${next}`} rel="next">
              {t.t('home.older')}
            </a>
          )}
        </nav>
      )}
    </TitledPage>
  );
}

import { getServices } from '../lib/services/registry';
import { commentCountLabel } from './components/labels';
import { serverTranslator } from './i18n/server';

// Always read the store at request time: the list changes as people comment.
export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const threads = await getServices().threads.listThreads();
  const t = await serverTranslator();
  return (
    <section aria-labelledby="articles-heading">
      <h1 id="articles-heading" className="page-title">
        {t.t('home.title')}
      </h1>
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
    </section>
  );
}

import Link from 'next/link';
import { getServices } from '../lib/services/registry';
import { commentCountLabel } from './components/labels';

// Always read the store at request time: the list changes as people comment.
export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const threads = await getServices().threads.listThreads();
  return (
    <section aria-labelledby="articles-heading">
      <h1 id="articles-heading" className="page-title">
        Articles
      </h1>
      {threads.length === 0 ? (
        <p className="empty-state">No articles yet.</p>
      ) : (
        <ul className="article-list">
          {threads.map((t) => (
            <li key={t.slug} className="article-list-item">
              <Link href={`/articles/${t.slug}`} className="article-list-title">
                {t.title}
              </Link>
              <span className="article-list-meta">
                <span className="comment-count">{commentCountLabel(t.commentCount)}</span>
                {t.locked ? <span className="badge badge-locked">Closed</span> : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

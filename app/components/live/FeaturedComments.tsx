'use client';

import { AuthorBadges } from './AuthorBadges';
import type { ClientComment } from '../../../lib/client/threadState';
import { useTranslator } from '../../i18n/I18nProvider';
import { CommentHtml } from './CommentHtml';

/** The comments a moderator pinned, quoted above the discussion with a link to each in its place. */
export function FeaturedComments({ comments }: { comments: ClientComment[] }) {
  const t = useTranslator();
  return (
    <section className="featured" aria-label={t.t('thread.featured')}>
      <h3 className="featured-title">{t.t('thread.featuredTitle')}</h3>
      {comments.map((c) => (
        <blockquote key={c.id} className="featured-comment">
          <CommentHtml id={c.id} html={c.html} />
          <footer>
            — <bdi>{c.author.name ?? t.t('comment.anonymous')}</bdi> <AuthorBadges badges={c.authorBadges} /> · <a href={`#c-${c.id}`}>{t.t('thread.inContext')}</a>
          </footer>
        </blockquote>
      ))}
    </section>
  );
}

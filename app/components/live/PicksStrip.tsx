'use client';

import { AuthorBadges } from './AuthorBadges';
import type { PickOnPage } from '../../../lib/client/threadState';
import { useTranslator } from '../../i18n/I18nProvider';
import { CommentHtml } from './CommentHtml';
import { useGoToComment } from './goToComment';

/** The anchor of the strip: the Picks sort's empty state and the feed link point here. */
export const PICKS_ANCHOR = 'picks';

/**
 * The editors' picks (issue 19.1), above the discussion: each featured comment quoted with the
 * moderator's note and a link to its place. Server-rendered (the first page carries every pick's
 * branch), then kept live by the thread's events: a pick made or unmade on any node shows here at
 * once. A pick whose branch this page has not loaded (featured since, in a later page) links to its
 * branch's page, as a reply notice does.
 */
export function PicksStrip({ slug, picks }: { slug: string; picks: PickOnPage[] }) {
  const t = useTranslator();
  const goTo = useGoToComment();
  return (
    <section className="featured picks" id={PICKS_ANCHOR} aria-label={t.t('picks.title')}>
      <h3 className="featured-title">
        {t.t('picks.title')}{' '}
        <a className="picks-feed" href={`/articles/${slug}/picks.xml`} type="application/atom+xml">
          {t.t('picks.feed')}
        </a>
      </h3>
      {picks.map(({ comment: c, onPage }) => (
        <blockquote key={c.id} className="featured-comment" data-pick-id={c.id}>
          {c.pick?.note ? <p className="pick-note">{c.pick.note}</p> : null}
          <CommentHtml id={c.id} html={c.html} />
          <footer>
            — <bdi>{c.author.name ?? t.t('comment.anonymous')}</bdi> <AuthorBadges badges={c.authorBadges} /> ·{' '}
            <a
              href={onPage ? `#c-${c.id}` : `/articles/${slug}/comments/${c.id}#c-${c.id}`}
              onClick={(e) => {
                // On the page: its folds opened and focus on it; else the link loads its branch's page.
                if (onPage && goTo(c.id)) e.preventDefault();
              }}
            >
              {t.t('thread.inContext')}
            </a>
          </footer>
        </blockquote>
      ))}
    </section>
  );
}

import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { PersonIdSchema } from '../../../lib/contract/people';
import type { PublicPersonResponse } from '../../../lib/contract/mentions';
import { AppError } from '../../../lib/domain/errors';
import { getServices } from '../../../lib/services/registry';
import type { RoutePageProps } from '../../components/viewer';
import { serverTranslator } from '../../i18n/server';

export const dynamic = 'force-dynamic';

/** The person, or undefined when the id names no open account (a guest, a closed or erased account). */
async function publicPerson(id: string): Promise<PublicPersonResponse | undefined> {
  if (!PersonIdSchema.safeParse(id).success) return undefined;
  try {
    return await getServices().mentions.publicPerson(id);
  } catch (err) {
    if (AppError.is(err) && err.code === 'person_not_found') return undefined;
    throw err;
  }
}

export async function generateMetadata({ params }: RoutePageProps<{ id: string }>): Promise<Metadata> {
  const found = await publicPerson((await params).id);
  const t = await serverTranslator();
  return { title: found ? found.person.name : t.t('notFound.title') };
}

/**
 * A person's public page, where a mention links (docs/mentions.md): their name, badges, when they
 * joined, and their newest visible comments with links to them. Nothing private: no address, no
 * role, nothing a moderator keeps. 404 for a guest's id or a closed account.
 */
export default async function PublicPersonPage({ params }: RoutePageProps<{ id: string }>) {
  const found = await publicPerson((await params).id);
  if (!found) notFound();
  const t = await serverTranslator();
  const { person, comments } = found;
  return (
    <section className="narrow public-person" aria-labelledby="person-heading">
      <h1 id="person-heading" className="page-title">
        <bdi>{person.name}</bdi>{' '}
        {person.badges.map((badge) => (
          <span key={badge} className={`badge badge-author badge-${badge}`} data-author-badge={badge}>
            {t.t(`badge.${badge}`)}
          </span>
        ))}
      </h1>
      <p>{t.t('people.memberSince', { date: t.formatDate(person.memberSince) })}</p>
      <h2>{t.t('people.recent')}</h2>
      {comments.length === 0 ? (
        <p>{t.t('people.none')}</p>
      ) : (
        <ul className="public-comments">
          {comments.map((comment) => (
            <li key={comment.id}>
              <a href={comment.url}>
                <bdi>{comment.excerpt}</bdi>
              </a>{' '}
              <span className="public-comment-where">
                {t.t('people.on')} <a href={`/articles/${encodeURIComponent(comment.threadSlug)}`}>{comment.threadTitle}</a>
                {comment.createdAt ? (
                  <>
                    {' · '}
                    <time dateTime={comment.createdAt}>{t.formatDate(comment.createdAt)}</time>
                  </>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

import type { Badge } from '../../../lib/domain/identity';
import { useTranslator } from '../../i18n/I18nProvider';

/** The author's badges (set by admins or the newsroom's SSO), next to their name wherever a comment shows. */
export function AuthorBadges({ badges }: { badges: readonly Badge[] | undefined }) {
  const t = useTranslator();
  if (!badges || badges.length === 0) return null;
  return (
    <>
      {badges.map((badge) => (
        <span key={badge} className={`badge badge-author badge-${badge}`} data-author-badge={badge}>
          {t.t(`badge.${badge}`)}
        </span>
      ))}
    </>
  );
}

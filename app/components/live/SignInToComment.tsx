import { useTranslator } from '../../i18n/I18nProvider';

/** Where a reader signs in and comes back to this thread (the sign-in page is /signin; docs/api.md). */
export function signInHref(slug: string): string {
  return `/signin?next=${encodeURIComponent(`/articles/${slug}`)}`;
}

/**
 * In place of the comment box when the thread takes comments from signed-in readers only (`accounts`,
 * lib/domain/commentPolicy.ts): said before anyone types. In the embed's frame the sign-in page opens
 * in its own tab, out of the host's page.
 */
export function SignInToComment(props: { href: string; framed: boolean }) {
  const t = useTranslator();
  return (
    <div className="sign-in-to-comment" data-testid="sign-in-to-comment">
      <p className="form-note">{t.t('form.signInNeeded')}</p>
      <a className="button" href={props.href} {...(props.framed && { target: '_blank', rel: 'noopener' })}>
        {t.t('form.signInToComment')}
      </a>
    </div>
  );
}

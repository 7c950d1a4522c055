import { lazy, Suspense, useState } from 'react';
import { isStaffRole } from '../../lib/domain/identity';
import type { Account } from '../../lib/contract/api';
import { LiveThread, type LiveThreadHost, type LiveThreadProps } from '../components/live/LiveThread';
import { useTranslator } from '../i18n/I18nProvider';

/** The bell, a chunk of its own: a guest reading the embed never loads it. */
const Bell = lazy(() => import('../components/bell/Bell').then((m) => ({ default: m.Bell })));

/**
 * The embed's discussion, saying who comments when the host site's login signed the reader in
 * (docs/embed.md, "Signing readers in with your site's login"): read with the reader's own state,
 * so the page's HTML stays the same for everyone.
 */
export function EmbedDiscussion({ thread, onStaff }: { thread: LiveThreadProps; onStaff: LiveThreadHost['onStaff'] }) {
  const t = useTranslator();
  const [account, setAccount] = useState<Account | null>(null);
  return (
    <>
      {account ? (
        <div className="embed-account-bar">
          <p className="form-note embed-account" data-testid="embed-account">
            {t.t('embed.commentingAs', { name: account.displayName })}
          </p>
          <Suspense fallback={null}>
            <Bell staff={isStaffRole(account.role)} socket="page" framed />
          </Suspense>
        </div>
      ) : null}
      <LiveThread {...thread} onStaff={onStaff} onAccount={setAccount} framed />
    </>
  );
}

import { Suspense, useState } from 'react';
import type { Account } from '../../lib/contract/api';
import { LiveThread, type LiveThreadHost, type LiveThreadProps } from '../components/live/LiveThread';
import { EmbedBell } from '../components/live/personOnly';
import { useTranslator } from '../i18n/I18nProvider';

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
            <EmbedBell role={account.role} />
          </Suspense>
        </div>
      ) : null}
      <LiveThread {...thread} onStaff={onStaff} onAccount={setAccount} framed />
    </>
  );
}

import { createRoot } from 'react-dom/client';
import { isStaffRole, type AccountRole } from '../../lib/domain/identity';
import { Bell } from '../components/bell/Bell';
import { I18nProvider } from '../i18n/I18nProvider';
import type { Locale } from '../i18n/locales';

/**
 * A signed-in person's bell in a reader page's header. The page is the same for everyone, so it is not
 * in its HTML: the header has an empty slot, filled once the reader's own state says who signed in.
 * It listens on the thread's live connection. Only signed-in people load this chunk.
 */
export function showBell(slot: Element, locale: Locale, role: AccountRole): void {
  createRoot(slot).render(
    <I18nProvider locale={locale}>
      <Bell staff={isStaffRole(role)} socket="page" />
    </I18nProvider>,
  );
}

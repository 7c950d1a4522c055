import { renderToString } from 'react-dom/server';
import { I18nProvider } from '../i18n/I18nProvider';
import { SignOutButton } from '../components/staff/SignOutButton';
import type { Locale } from '../i18n/locales';
import { islandJson, type ThreadIslandData } from '../islands/islandData';
import { ThreadIsland } from '../islands/ThreadIsland';

/** The thread island as the page carries it: its HTML (a React root of its own, as the browser hydrates it) and its data. */
export function renderThreadIsland(data: ThreadIslandData): { html: string; json: string } {
  return { html: renderToString(<ThreadIsland data={data} />), json: islandJson(data) };
}

/** The header's sign-out button, for a signed-in moderator: hydrated by a chunk only they load (app/islands/signOut.tsx). */
export function renderSignOut(locale: Locale): string {
  return renderToString(
    <I18nProvider locale={locale}>
      <SignOutButton />
    </I18nProvider>,
  );
}

import Link from 'next/link';
import { getServices } from '../../lib/services/registry';
import { AdminPanel } from '../components/staff/AdminPanel';
import { ModerationDesk } from '../components/staff/ModerationDesk';
import { ThreadAdmin } from '../components/staff/ThreadAdmin';
import { SiteSettingsPanel } from '../components/staff/SiteSettingsPanel';
import { NotCheckedList } from '../components/staff/NotCheckedList';
import { StaffPage } from '../components/staff/StaffPage';
import { requireStaff } from '../components/viewer';
import { serverTranslator, translatedTitle } from '../i18n/server';

export const dynamic = 'force-dynamic';
export const generateMetadata = translatedTitle('desk.title');

export default async function ModeratePage() {
  const staff = await requireStaff('/moderate');
  const services = getServices();
  const t = await serverTranslator();
  const [items, notChecked] = await Promise.all([services.moderation.queue({}), services.moderation.notChecked({})]);
  const admin = staff.role === 'admin';
  const [words, users, threads, settings, deadLetters] = admin
    ? await Promise.all([services.moderation.bannedWords(), services.auth.listUsers(), services.moderation.listThreads({ actor: staff }), services.policy.settings(), services.mail.deadLetters()])
    : [[], [], null, null, []];
  return (
    <StaffPage headingId="desk-heading" title={t.t('desk.title')} nav={<Link href="/moderate/pulse">{t.t('pulse.link')}</Link>}>
      <ModerationDesk initialItems={items} />
      <NotCheckedList initialItems={notChecked} />
      {admin ? <AdminPanel words={words} users={users.map((u) => ({ username: u.username, role: u.role, removedAt: u.removedAt }))} me={staff.username} deadLetters={deadLetters} /> : null}
      {settings ? <SiteSettingsPanel initial={settings} /> : null}
      {threads ? <ThreadAdmin initial={threads} /> : null}
    </StaffPage>
  );
}

import Link from 'next/link';
import { getServices } from '../../../lib/services/registry';
import { PulseDashboard } from '../../components/staff/pulse/PulseDashboard';
import { StaffPage } from '../../components/staff/StaffPage';
import { requireStaff } from '../../components/viewer';
import { serverTranslator, translatedTitle } from '../../i18n/server';

export const dynamic = 'force-dynamic';
export const generateMetadata = translatedTitle('pulse.title');

/** The moderators' pulse of the whole site (docs/moderation.md, "The pulse"): staff only. */
export default async function PulsePage() {
  await requireStaff('/moderate/pulse');
  const t = await serverTranslator();
  const figures = await getServices().pulse.figures({});
  return (
    <StaffPage headingId="pulse-heading" title={t.t('pulse.title')} nav={<Link href="/moderate">{t.t('desk.title')}</Link>}>
      <PulseDashboard initial={figures} />
    </StaffPage>
  );
}

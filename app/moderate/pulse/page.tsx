import Link from 'next/link';
import { getServices } from '../../../lib/services/registry';
import { PulseDashboard } from '../../components/staff/pulse/PulseDashboard';
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
    <section aria-labelledby="pulse-heading">
      <h1 id="pulse-heading" className="page-title">
        {t.t('pulse.title')}
      </h1>
      <p className="pulse-nav">
        <Link href="/moderate">{t.t('desk.title')}</Link>
      </p>
      <PulseDashboard initial={figures} />
    </section>
  );
}

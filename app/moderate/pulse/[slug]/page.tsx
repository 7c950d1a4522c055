import Link from 'next/link';
import { notFound } from 'next/navigation';
import { SlugSchema } from '../../../../lib/contract/api';
import { AppError } from '../../../../lib/domain/errors';
import { getServices } from '../../../../lib/services/registry';
import { PulseDashboard } from '../../../components/staff/pulse/PulseDashboard';
import { StaffPage } from '../../../components/staff/StaffPage';
import { requireStaff, type RoutePageProps } from '../../../components/viewer';
import { serverTranslator, translatedTitle } from '../../../i18n/server';

export const dynamic = 'force-dynamic';
export const generateMetadata = translatedTitle('pulse.title');

/** The moderators' pulse of one thread: staff only; an unknown thread is a 404. */
export default async function ThreadPulsePage({ params }: RoutePageProps<{ slug: string }>) {
  const { slug } = await params;
  await requireStaff(`/moderate/pulse/${encodeURIComponent(slug)}`);
  if (!SlugSchema.safeParse(slug).success) notFound();
  const t = await serverTranslator();
  let figures;
  try {
    figures = await getServices().pulse.figures({ slug });
  } catch (err) {
    if (AppError.is(err) && err.code === 'thread_not_found') notFound();
    throw err;
  }
  return (
    <StaffPage
      headingId="pulse-heading"
      title={t.t('pulse.threadTitle', { title: figures.thread?.title ?? slug })}
      nav={
        <>
          <Link href="/moderate/pulse">{t.t('pulse.siteLink')}</Link>
          {' · '}
          <a href={`/articles/${slug}`}>{t.t('pulse.openThread')}</a>
        </>
      }
    >
      <PulseDashboard initial={figures} />
    </StaffPage>
  );
}

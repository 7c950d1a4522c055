import { notFound } from 'next/navigation';
import { PersonIdSchema } from '../../../../lib/contract/people';
import { AppError } from '../../../../lib/domain/errors';
import { getServices } from '../../../../lib/services/registry';
import { PersonPanel } from '../../../components/staff/PersonPanel';
import { firstParam, requireStaff, type RoutePageProps } from '../../../components/viewer';
import { translatedTitle } from '../../../i18n/server';

export const dynamic = 'force-dynamic';
export const generateMetadata = translatedTitle('person.title');

/** A person's page for moderators (docs/api.md, "A person's page"): staff only, rendered for staff only. */
export default async function PersonPage({ params, searchParams }: RoutePageProps<{ personId: string }>) {
  const { personId } = await params;
  const staff = await requireStaff(`/moderate/people/${encodeURIComponent(personId)}`);
  if (!PersonIdSchema.safeParse(personId).success) notFound();
  const before = firstParam((await searchParams).before);
  try {
    const page = await getServices().people.page({ personId, actor: staff, before: before && /^[A-Za-z0-9_-]{1,200}$/.test(before) ? before : undefined });
    return <PersonPanel page={page} admin={staff.role === 'admin'} />;
  } catch (err) {
    if (AppError.is(err) && (err.code === 'person_not_found' || err.code === 'invalid_request')) notFound();
    throw err;
  }
}

import { getServices } from '../../../lib/services/registry';
import { StaffPage } from '../../components/staff/StaffPage';
import { requireStaff } from '../../components/viewer';
import { serverTranslator, translatedTitle } from '../../i18n/server';
import type { Translator } from '../../i18n/translator';
import type { AuditRecord } from '../../../lib/store/moderationStore';

export const dynamic = 'force-dynamic';
export const generateMetadata = translatedTitle('audit.title');

/**
 * What a thread action's entry keeps of the thread besides its slug: its title, and for a deletion how many
 * comments went with it (the thread itself is gone, so this is all that tells what it was).
 */
function threadNote(t: Translator, entry: AuditRecord): string | null {
  const { title, comments } = entry.details;
  if (!entry.action.startsWith('thread.') || typeof title !== 'string') return null;
  return entry.action === 'thread.delete' && typeof comments === 'number' ? t.t('audit.deletedThread', { title, count: comments }) : t.t('audit.threadTitle', { title });
}

/** Every moderation action: who, what, when, why. Admins only. */
export default async function AuditPage() {
  const staff = await requireStaff('/moderate/audit');
  const t = await serverTranslator();
  if (staff.role !== 'admin') {
    return (
      <section className="narrow">
        <h1 className="page-title">{t.t('audit.title')}</h1>
        <p>{t.t('audit.adminsOnly')}</p>
      </section>
    );
  }
  const services = getServices();
  const entries = await services.moderation.audit({ limit: 500, actor: staff });
  return (
    <StaffPage headingId="audit-heading" title={t.t('audit.title')}>
      <table className="audit-table">
        <thead>
          <tr>
            <th scope="col">{t.t('audit.when')}</th>
            <th scope="col">{t.t('audit.who')}</th>
            <th scope="col">{t.t('audit.what')}</th>
            <th scope="col">{t.t('audit.on')}</th>
            <th scope="col">{t.t('audit.why')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>
                <time dateTime={e.at}>{t.formatDate(e.at)}</time>
              </td>
              <td>{e.actorName}</td>
              <td>{e.action}</td>
              <td>
                {e.target ?? e.commentId ?? ''}
                {threadNote(t, e) ? <div className="audit-note">{threadNote(t, e)}</div> : null}
              </td>
              <td>{e.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </StaffPage>
  );
}

import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getServices } from '../../../lib/services/registry';
import { formatDate } from '../../components/labels';
import { viewerStaff } from '../../components/viewer';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Audit log' };

/** Every moderation action: who, what, when, why. Admins only. */
export default async function AuditPage() {
  const staff = await viewerStaff();
  if (!staff) redirect('/login?next=/moderate/audit');
  if (staff.role !== 'admin') {
    return (
      <section className="narrow">
        <h1 className="page-title">Audit log</h1>
        <p>Only admins can read the audit log.</p>
      </section>
    );
  }
  const services = getServices();
  const entries = await services.moderation.audit({ limit: 500, actor: staff });
  return (
    <section aria-labelledby="audit-heading">
      <h1 id="audit-heading" className="page-title">
        Audit log
      </h1>
      <table className="audit-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">On</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>
                <time dateTime={e.at}>{formatDate(e.at)}</time>
              </td>
              <td>{e.actorName}</td>
              <td>{e.action}</td>
              <td>{e.target ?? e.commentId ?? ''}</td>
              <td>{e.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

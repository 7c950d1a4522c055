import type { ReactNode } from 'react';
import { TitledPage } from '../TitledPage';

/** A staff page's frame: its title, and under it the links between the staff pages (desk, pulse). */
export function StaffPage({ headingId, title, nav, children }: { headingId: string; title: ReactNode; nav?: ReactNode; children: ReactNode }) {
  return (
    <TitledPage headingId={headingId} title={title}>
      {nav ? <p className="pulse-nav">{nav}</p> : null}
      {children}
    </TitledPage>
  );
}

import type { ReactNode } from 'react';

/**
 * The frame every staff page shares: a section named by its page title, and under the title the links
 * between the staff pages (desk, pulse). The ids and class names are what the e2e tests and styles look for.
 */
export function StaffPage({ headingId, title, nav, children }: { headingId: string; title: ReactNode; nav?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={headingId}>
      <h1 id={headingId} className="page-title">
        {title}
      </h1>
      {nav ? <p className="pulse-nav">{nav}</p> : null}
      {children}
    </section>
  );
}

import type { ReactNode } from 'react';

/**
 * A page's frame: a section named by its one h1 (the `page-title`), so every page is announced by its
 * title. The ids and class names are what the e2e tests and styles look for.
 */
export function TitledPage({ headingId, title, className, children }: { headingId: string; title: ReactNode; className?: string; children: ReactNode }) {
  return (
    <section className={className} aria-labelledby={headingId}>
      <h1 id={headingId} className="page-title">
        {title}
      </h1>
      {children}
    </section>
  );
}

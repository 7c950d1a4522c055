import type { ReactNode } from 'react';

/** A form's row of one submit button (`button`, or `button button-primary` for the form's main action): plain HTML, so it works without JavaScript. */
export function FormSubmit({ className, children }: { className: string; children: ReactNode }) {
  return (
    <div className="form-actions">
      <button type="submit" className={className}>
        {children}
      </button>
    </div>
  );
}

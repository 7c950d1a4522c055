import type { ReactNode } from 'react';

/**
 * A form's row of one submit button (`button`, or `button button-primary` for the form's main action): plain HTML, so it works without
 * JavaScript. `disabled`: while the form's last submit is still being sent.
 */
export function FormSubmit({ className, disabled, children }: { className: string; disabled?: boolean; children: ReactNode }) {
  return (
    <div className="form-actions">
      <button type="submit" className={className} disabled={disabled}>
        {children}
      </button>
    </div>
  );
}

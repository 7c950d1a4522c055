/** Why a control's last action did not work, beside the control, while there is something to say. */
export function InlineProblem({ text }: { text: string | null }) {
  return text ? (
    <span className="form-error" role="alert">
      {text}
    </span>
  ) : null;
}

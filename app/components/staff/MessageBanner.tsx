/**
 * What came of a staff page's last action, while there is something to say: `alert` where it may
 * be a refusal that needs attention at once, `status` where it is news that can wait its turn.
 */
export function MessageBanner({ text, role }: { text: string | null; role: 'alert' | 'status' }) {
  return text ? (
    <p className="banner" role={role}>
      {text}
    </p>
  ) : null;
}

'use client';

export function SignOutButton() {
  return (
    <button
      type="button"
      className="link-button header-link"
      onClick={async () => {
        await fetch('/api/auth/logout', { method: 'POST' }).catch(() => null);
        window.location.assign('/');
      }}
    >
      Sign out
    </button>
  );
}

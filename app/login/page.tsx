import type { Metadata } from 'next';
import Link from 'next/link';
import { LoginForm } from '../components/staff/LoginForm';
import { firstParam, viewerStaff } from '../components/viewer';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

/** Only a path on this site may follow a sign-in, never another origin. */
function safeNext(value: string | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//') ? value : '/moderate';
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const staff = await viewerStaff();
  const next = safeNext(firstParam((await searchParams).next));
  return (
    <section className="narrow" aria-labelledby="login-heading">
      <h1 id="login-heading" className="page-title">
        Sign in
      </h1>
      {staff ? (
        <p>
          You are signed in as <strong>{staff.username}</strong> ({staff.role}). <Link href="/moderate">Go to the moderation desk</Link>.
        </p>
      ) : (
        <>
          <p className="empty-state">For moderators and admins. Readers need no account to comment.</p>
          <LoginForm next={next} />
        </>
      )}
    </section>
  );
}

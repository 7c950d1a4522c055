import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="empty-state">
      <h1>Not found</h1>
      <p>There is no article or comment at this address. It may have been moved or never existed.</p>
      <p>
        <Link href="/">See all articles</Link>
      </p>
    </div>
  );
}

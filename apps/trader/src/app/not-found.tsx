import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="markets-page">
      <div className="panel empty">
        <p>There is no such page or market here.</p>
        <Link href="/markets" className="button button-primary">
          See all markets
        </Link>
      </div>
    </main>
  );
}

import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { LiveThread } from '../../components/live/LiveThread';
import { loadThreadDetail, loadThreadPage, sortFrom } from '../../components/loadThreadPage';
import { liveThreadBase, viewerGuestId, type RoutePageProps } from '../../components/viewer';
import { EMBED_URL_HEADER, hostPageUrl } from '../../../lib/domain/embed';
import { EmbedFrame } from '../EmbedFrame';

export const dynamic = 'force-dynamic';

type Props = RoutePageProps<{ slug: string }>;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  return { title: `Comments: ${(await loadThreadDetail(slug)).title}` };
}

/**
 * The discussion alone, for a frame on another site (embed.js). The server has
 * checked the address, opened the thread if its host vouched for it, and says
 * where permalinks lead: the thread's article, or a `url` on a site in
 * EMBED_ORIGINS, never the query's `url` as such (server/embed/embedGate.ts).
 * An unknown thread is the 404 page.
 */
export default async function EmbedPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const query = await searchParams;
  const page = await loadThreadPage({ slug, sort: sortFrom(query.sort), viewerGuestId: await viewerGuestId() });
  return (
    <EmbedFrame slug={slug} hostUrl={hostPageUrl((await headers()).get(EMBED_URL_HEADER))}>
      <section id="comments" className="discussion discussion-embedded" aria-labelledby="comments-heading">
        <LiveThread {...(await liveThreadBase(page))} sort={page.sort} rootId={null} replyTo={null} formError={null} />
      </section>
    </EmbedFrame>
  );
}

import type { Metadata } from 'next';
import { LiveThread } from '../../components/live/LiveThread';
import { loadThreadDetail, loadThreadPage, sortFrom } from '../../components/loadThreadPage';
import { firstParam, liveThreadBase, viewerGuestId, type RoutePageProps } from '../../components/viewer';
import { hostPageUrl } from '../../../lib/domain/embed';
import { EmbedFrame } from '../EmbedFrame';

export const dynamic = 'force-dynamic';

type Props = RoutePageProps<{ slug: string }>;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  return { title: `Comments: ${(await loadThreadDetail(slug)).title}` };
}

/**
 * The discussion alone, for a frame on another site (embed.js). The server has
 * checked the address and opened the thread on a first view from an allowed
 * site (server/embed/embedGate.ts); an unknown thread is the 404 page.
 */
export default async function EmbedPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const query = await searchParams;
  const page = await loadThreadPage({ slug, sort: sortFrom(query.sort), viewerGuestId: await viewerGuestId() });
  return (
    <EmbedFrame slug={slug} hostUrl={hostPageUrl(firstParam(query.url))}>
      <section id="comments" className="discussion discussion-embedded" aria-labelledby="comments-heading">
        <LiveThread {...(await liveThreadBase(page))} sort={page.sort} rootId={null} replyTo={null} formError={null} />
      </section>
    </EmbedFrame>
  );
}

import Head from 'next/head';
import { NotFoundMessage } from '../components/NotFoundMessage';
import { PlainLink, SiteFooter, SiteHeader } from '../components/SiteChrome';
import { translatorFor, type Locale } from '../i18n/locales';
import type { Translator } from '../i18n/translator';
import { BELL_ISLAND, ISLAND_ATTRIBUTE, ISLAND_DATA_ID, ISLAND_LATER_ATTRIBUTE, STAFF_NAV_ISLAND, THREAD_ISLAND, type ThreadIslandData } from '../islands/islandData';
import type { IslandScript } from '../islands/islandScripts';

/** The element the discussion is rendered into, by page: its own markup is the island's alone. */
const CONTAINERS = {
  article: { tag: 'section', attributes: { id: 'comments', className: 'discussion', 'aria-labelledby': 'comments-heading' } },
  branch: { tag: 'section', attributes: { className: 'discussion branch', 'aria-labelledby': 'branch-heading' } },
  embed: { tag: 'div', attributes: {} },
} as const satisfies Record<ThreadIslandData['kind'], { tag: 'section' | 'div'; attributes: Record<string, string> }>;

/**
 * A reader page (the article, a branch, the embed), as pages/ renders it. Everything but the
 * discussion is plain HTML; the discussion is an island (app/islands) rendered here from its
 * data, and hydrated by the page's one script. Next.js adds no script of its own to these pages
 * (`unstable_runtimeJS: false` in pages/).
 */
export interface ReaderPageProps {
  /** `<html>`'s attributes, read by pages/_document.tsx. */
  document: { lang: string; className: string | null };
  locale: Locale;
  /** The page's own title; the site's name follows it. */
  title: string;
  /** The thread's Atom feed (the article page). */
  feed: string | null;
  /** The thread's editors' picks as their own feed (issue 19.1). */
  picksFeed?: string;
  /** The site's header and footer; null in the embed's frame. `staffSlot`: where a signed-in moderator's links go after load (app/islands/staffNav.tsx). */
  chrome: { staffSlot: true } | null;
  /** The story above the discussion (the article page). */
  article: { title: string; paragraphs: string[] } | null;
  /** The discussion; null on the 404 page. */
  island: { kind: ThreadIslandData['kind']; html: string; json: string; script: IslandScript; nonce: string } | null;
}

export function ReaderPage(props: ReaderPageProps) {
  const t = translatorFor(props.locale);
  const content = (
    <>
      {props.article ? (
        <article className="story" aria-labelledby="story-title">
          <h1 id="story-title" className="story-title">
            {props.article.title}
          </h1>
          <div className="story-body">
            {props.article.paragraphs.map((p, i) => (
              <p key={i}>{p}</p>
            ))}
          </div>
        </article>
      ) : null}
      {props.island ? <Island {...props.island} /> : props.chrome ? <NotFoundMessage t={t} link={PlainLink} /> : <EmbedNotFound t={t} />}
    </>
  );
  return (
    <>
      <Head>
        <title>{`${props.title} · Threadline`}</title>
        <meta name="description" content="News and the discussion around it, live." />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <link rel="icon" href="/icon.svg" type="image/svg+xml" sizes="any" />
        {props.feed ? <link rel="alternate" type="application/atom+xml" href={props.feed} /> : null}
        {props.picksFeed ? <link rel="alternate" type="application/atom+xml" title={translatorFor(props.locale).t('picks.title')} href={props.picksFeed} /> : null}
        {props.island
          ? [props.island.script.src, ...props.island.script.preload].map((src) => <link key={src} rel="modulepreload" href={src} nonce={props.island!.nonce || undefined} />)
          : null}
      </Head>
      {props.chrome ? (
        <>
          <SiteHeader t={t} staff={null} link={PlainLink} signOut={null} staffSlot={
              <>
                <span className="bell-slot" {...{ [ISLAND_ATTRIBUTE]: BELL_ISLAND }} />
                <span className="staff-slot" {...{ [ISLAND_ATTRIBUTE]: STAFF_NAV_ISLAND }} />
              </>
            }
          />
          <main id="main" className="site-main">
            {content}
          </main>
          <SiteFooter t={t} />
        </>
      ) : (
        content
      )}
    </>
  );
}

/**
 * An embed whose thread does not exist: its host has not opened it (no token, or one that opens
 * nothing: docs/embed.md). Said in the host's frame, without the site's links, which have no place there.
 */
function EmbedNotFound({ t }: { t: Translator }) {
  return (
    <div className="empty-state">
      <h1>{t.t('embed.noDiscussion.title')}</h1>
      <p>{t.t('embed.noDiscussion.text')}</p>
    </div>
  );
}

/** The discussion as the server rendered it, the data it is hydrated from, and the script that does it. */
function Island({ kind, html, json, script, nonce }: NonNullable<ReaderPageProps['island']>) {
  const { tag: Container, attributes } = CONTAINERS[kind];
  return (
    <>
      <Container {...attributes} {...{ [ISLAND_ATTRIBUTE]: THREAD_ISLAND }} dangerouslySetInnerHTML={{ __html: html }} />
      <script type="application/json" id={ISLAND_DATA_ID} dangerouslySetInnerHTML={{ __html: json }} />
      <script type="module" src={script.src} nonce={nonce || undefined} {...{ [ISLAND_LATER_ATTRIBUTE]: script.later.join(' ') }} />
      {/* Without JavaScript the page never goes live: what waits for it takes no room (app/globals.css). */}
      <noscript>
        <style>{'.awaiting-live { display: none; }'}</style>
      </noscript>
    </>
  );
}

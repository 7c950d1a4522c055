'use client';

import { useCallback, useEffect, useRef, type ReactNode } from 'react';
import { screenInFrame } from '../../lib/client/screenInFrame';
import { HOST_COMMENT_PREFIX, TO_FRAME, TO_HOST } from '../../lib/domain/embed';
import { OnScreenContext, scrollPageTo, unfoldComment, type BringOnScreen } from '../components/live/goToComment';
import { readingPlace } from './readingPlace';
import { handOverSso, ssoTokenOf } from './ssoHandOver';

const THEMES = new Set(['light', 'dark', 'auto']);
const COMMENT_ID = /^[a-z0-9]{1,32}$/;
/** What follows the reader on screen; app/globals.css places them by `--screen-top` and `--screen-bottom`. */
const FOLLOWERS = '.arrivals, .reply-notices';

/**
 * The embed page's side of the conversation with embed.js on the host page:
 * reports the content's height (the frame is sized to it) with how far the
 * content on the reader's screen moved (the host scrolls as far: the reader
 * keeps their place while the discussion grows above them), takes the host's
 * theme, shows a comment the host's permalink names and tells the host where
 * it is (as it does for every comment the page takes the reader to: the
 * host page scrolls there), keeps what follows the reader (the arrivals pill,
 * the reply notice) in the part of the frame on the host's screen, and points
 * links that should leave the frame at the host page or the whole window.
 * Messages to the host carry nothing private (a height, an offset), so they
 * go to whoever framed the page ('*'; CSP's frame-ancestors decides who may);
 * messages are taken from the parent window only.
 */
export function EmbedFrame({ slug, hostUrl, children }: { slug: string; hostUrl: string | null; children: ReactNode }) {
  const root = useRef<HTMLDivElement>(null);
  // Framed, a comment comes on screen by the host page scrolling (set by the effect below).
  const bringInHost = useRef<BringOnScreen | null>(null);
  const bring = useCallback<BringOnScreen>((element) => (bringInHost.current ?? scrollPageTo)(element), []);

  useEffect(() => {
    const framed = window.parent !== window;
    const toHost = (message: Record<string, unknown>) => {
      if (framed) window.parent.postMessage(message, '*');
    };

    const html = document.documentElement;
    const place = readingPlace(document);
    let lastHeight = -1;
    const reportHeight = () => {
      const height = Math.ceil(html.getBoundingClientRect().height);
      if (height === lastHeight) return;
      lastHeight = height;
      toHost({ type: TO_HOST.height, height, shift: place.moved() });
      place.remember();
    };
    const resizes = new ResizeObserver(reportHeight);
    resizes.observe(html);

    // The host scrolls to the comment. The screen's top is taken to be there at once: the height reported
    // next (the render that showed it) then moves nothing, whichever message the host reads first.
    const showInHost = (element: HTMLElement) => {
      const top = Math.round(element.getBoundingClientRect().top + window.scrollY);
      place.view(top);
      toHost({ type: TO_HOST.commentOffset, id: element.dataset.commentId, top });
      window.scrollTo(0, 0);
    };
    bringInHost.current = framed ? showInHost : null;

    const showComment = (id: string) => {
      const element = unfoldComment(id);
      if (!element) return;
      // A fragment navigation marks it (:target highlights it); replace() adds nothing to the host's history.
      window.location.replace(`#c-${id}`);
      showInHost(element);
    };

    let view: { top: number; height: number | null } = { top: 0, height: null };
    const followScreen = () => {
      const screen = screenInFrame(view, window.innerHeight);
      for (const follower of root.current?.querySelectorAll<HTMLElement>(FOLLOWERS) ?? []) {
        setPixels(follower, '--screen-top', screen.top);
        setPixels(follower, '--screen-bottom', screen.bottom);
      }
    };
    window.addEventListener('resize', followScreen);

    const onMessage = (event: MessageEvent) => {
      if (!framed || event.source !== window.parent) return;
      const data = event.data as { type?: unknown; theme?: unknown; id?: unknown; top?: unknown; height?: unknown; token?: unknown } | null;
      if (data?.type === TO_FRAME.theme && typeof data.theme === 'string' && THEMES.has(data.theme)) {
        html.classList.remove('theme-light', 'theme-dark', 'theme-auto');
        html.classList.add(`theme-${data.theme}`);
      } else if (data?.type === TO_FRAME.showComment && typeof data.id === 'string' && COMMENT_ID.test(data.id)) {
        showComment(data.id);
      } else if (data?.type === TO_FRAME.view && typeof data.top === 'number' && Number.isFinite(data.top)) {
        place.view(data.top);
        view = { top: data.top, height: typeof data.height === 'number' && Number.isFinite(data.height) && data.height >= 0 ? data.height : null };
        followScreen();
      } else if (data?.type === TO_FRAME.sso && ssoTokenOf(data.token) !== undefined) {
        // The host's login, swapped for this frame's session; another person now: read everything the reader's own again.
        void handOverSso(ssoTokenOf(data.token)!).then(({ changed, refused }) => {
          toHost({ type: TO_HOST.session, changed, ...(refused && { refused }) });
          if (refused) console.warn(`Threadline: the site's sign-in token was refused (${refused}); see docs/security.md`);
          if (changed) window.location.reload();
        });
      } else if (data?.type === TO_FRAME.sessionChanged) {
        window.location.reload();
      }
    };
    window.addEventListener('message', onMessage);

    const retarget = () => {
      for (const link of root.current?.querySelectorAll<HTMLAnchorElement>('a[href]') ?? []) pointLink(link, { slug, hostUrl });
    };
    retarget();
    // A notice shown later (the reply notice comes once the page is live) starts where the screen is.
    const changes = new MutationObserver(() => {
      retarget();
      followScreen();
    });
    if (root.current) changes.observe(root.current, { childList: true, subtree: true });

    // "In context" links to a comment on this page: shown in place, the host page scrolled to it.
    const onClick = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.('a[href^="#c-"]');
      if (!link || link.classList.contains('permalink')) return;
      event.preventDefault();
      showComment(link.getAttribute('href')!.slice('#c-'.length));
    };
    document.addEventListener('click', onClick);

    toHost({ type: TO_HOST.ready });
    reportHeight();
    return () => {
      resizes.disconnect();
      changes.disconnect();
      window.removeEventListener('message', onMessage);
      window.removeEventListener('resize', followScreen);
      bringInHost.current = null;
      document.removeEventListener('click', onClick);
    };
  }, [slug, hostUrl]);

  return (
    <div ref={root} className="embed-root">
      <OnScreenContext.Provider value={bring}>{children}</OnScreenContext.Provider>
    </div>
  );
}

/**
 * A comment's permalink leads to the host article (`#threadline-comment-<id>`), in the
 * whole window; a sort link stays in the frame; other links to pages leave it
 * (a frame is no place for a whole page); in-page fragments stay.
 */
function pointLink(link: HTMLAnchorElement, context: { slug: string; hostUrl: string | null }): void {
  const href = link.getAttribute('href') ?? '';
  if (link.classList.contains('permalink')) {
    const id = link.closest('[data-comment-id]')?.getAttribute('data-comment-id');
    if (!id || !context.hostUrl || !COMMENT_ID.test(id)) return;
    setLink(link, `${context.hostUrl}#${HOST_COMMENT_PREFIX}${id}`, '_top');
    return;
  }
  if (href.startsWith('#')) return;
  const url = new URL(href, window.location.href);
  const sortOnly = url.origin === window.location.origin && url.pathname === `/articles/${context.slug}` && url.searchParams.has('sort') && !url.searchParams.has('after') && !url.searchParams.has('replyTo');
  if (sortOnly) {
    const here = new URL(window.location.href);
    here.searchParams.set('sort', url.searchParams.get('sort')!);
    here.hash = '';
    setLink(link, here.pathname + here.search, null);
    return;
  }
  setLink(link, href, '_top');
}

function setLink(link: HTMLAnchorElement, href: string, target: string | null): void {
  if (link.getAttribute('href') !== href) link.setAttribute('href', href);
  if (target === null) link.removeAttribute('target');
  else if (link.getAttribute('target') !== target) link.setAttribute('target', target);
}

/** Sets a length on an element only when it differs: every change to the discussion asks again, mostly for the same. */
function setPixels(element: HTMLElement, property: string, value: number): void {
  const pixels = `${value}px`;
  if (element.style.getPropertyValue(property) !== pixels) element.style.setProperty(property, pixels);
}

import { afterFirstPaint } from './afterFirstPaint';
import { ISLAND_LATER_ATTRIBUTE } from './islandData';

/**
 * The reader pages' script (built by server/build/islands.js, not by Next.js). It is small, and starts
 * the discussion's hydration (./hydrate.tsx, with React: the bulk of the page's script) only once the
 * page has painted: fetched beside the page, that script shared the reader's bandwidth with the page's
 * stylesheet and HTML and held its first paint back (Lighthouse's simulated slow 4G: 2.1 s against 1.2 s
 * without it on the 2,000-comment thread; docs/benchmarks.md). The chunks it needs are named on this
 * script's element (`data-later`, from the build's manifest) and preloaded side by side, not one after another.
 */
const me = document.querySelector<HTMLScriptElement>(`script[${ISLAND_LATER_ATTRIBUTE}]`);
afterFirstPaint(() => {
  for (const href of me?.getAttribute(ISLAND_LATER_ATTRIBUTE)?.split(' ').filter(Boolean) ?? []) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = href;
    if (me?.nonce) link.nonce = me.nonce;
    document.head.append(link);
  }
  void import('./hydrate');
});

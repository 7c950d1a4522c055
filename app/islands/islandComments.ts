import type { LiveThreadProps } from '../components/live/LiveThread';

/** A comment as the island gets it. */
export type IslandComment = LiveThreadProps['comments'][number];

/** What most comments on a page say: a field with this value is left out of the page's JSON. */
const DEFAULTS = { body: '', editedAt: null, locked: false, pinned: false, likes: 0, mine: false } as const satisfies Partial<IslandComment>;
const DEFAULTED = Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[];

/**
 * A comment as the page's JSON carries it (only the JSON has this shape: unpackComments gives the island
 * whole comments). Left out: `html` when the page's HTML shows it (the browser reads it back from there, so
 * each comment's text travels once); `depth` and `rootId` when they follow from the parent's (or from
 * having none); a field that has its usual value (DEFAULTS).
 */
export type PackedComment = Omit<IslandComment, 'html' | 'depth' | 'rootId' | keyof typeof DEFAULTS> & Partial<Pick<IslandComment, 'html' | 'depth' | 'rootId' | keyof typeof DEFAULTS>>;

/** The comments for the page's JSON; `shown`: the comments whose HTML the page's HTML holds. */
export function packComments(comments: readonly IslandComment[], shown: { has(id: string): boolean }): PackedComment[] {
  const byId = new Map(comments.map((c) => [c.id, c]));
  return comments.map((c) => {
    const packed: PackedComment = { ...c };
    if (shown.has(c.id)) delete packed.html;
    for (const key of DEFAULTED) if (c[key] === DEFAULTS[key]) delete packed[key];
    // Only what unpackComments would put back as it was is left out.
    const parent = c.parentId === null ? null : byId.get(c.parentId);
    if (parent === undefined) return packed;
    if (parent === null ? c.depth === 1 && c.rootId === c.id : c.depth === parent.depth + 1 && c.rootId === parent.rootId) {
      delete packed.depth;
      delete packed.rootId;
    }
    return packed;
  });
}

/**
 * The comments back, whole, in the browser. `bodyHtml`: a comment's HTML as the page shows it, read
 * before hydration so the island gets the props the server had.
 */
export function unpackComments(packed: readonly PackedComment[], bodyHtml: (id: string) => string | undefined): IslandComment[] {
  const byId = new Map(packed.map((c) => [c.id, c]));
  const placed = new Map<string, { depth: number; rootId: string }>();
  // Parents first, walking up iteratively: a deep thread is no deep recursion.
  const place = (c: PackedComment): { depth: number; rootId: string } => {
    const chain: PackedComment[] = [];
    let at: PackedComment | undefined = c;
    let known: { depth: number; rootId: string } | undefined;
    while (at && !(known = placed.get(at.id))) {
      if (at.depth !== undefined && at.rootId !== undefined) {
        known = { depth: at.depth, rootId: at.rootId };
        placed.set(at.id, known);
        break;
      }
      chain.push(at);
      at = at.parentId === null ? undefined : byId.get(at.parentId);
    }
    for (const link of chain.reverse()) {
      known = known ? { depth: known.depth + 1, rootId: known.rootId } : { depth: 1, rootId: link.id };
      placed.set(link.id, known);
    }
    return known!;
  };
  // A body the page lost (nothing should remove one) shows as missing text, not as a crash.
  return packed.map((c) => ({ ...DEFAULTS, ...c, ...place(c), html: c.html ?? bodyHtml(c.id) ?? '' }));
}

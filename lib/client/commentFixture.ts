import type { CommentView } from '../contract/api';

/** A visible comment for the client's tests: top-level unless given a parent (then a reply at depth 2 in the parent's branch). */
export function comment(id: string, seq: number, parentId: string | null = null, overrides: Partial<CommentView> = {}): CommentView {
  return {
    id,
    parentId,
    depth: parentId === null ? 1 : 2,
    rootId: parentId ?? id,
    status: 'visible',
    author: { name: 'Ann' },
    body: id,
    html: `<p>${id}</p>`,
    createdAt: '2026-11-27T10:00:00.000Z',
    editedAt: null,
    seq,
    locked: false,
    pinned: false,
    likes: 0,
    ...overrides,
  };
}

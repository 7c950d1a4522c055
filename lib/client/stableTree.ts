import { parentsFirst, type TreeItem, type TreeNode } from '../domain/tree';

/**
 * A tree the page renders, and its nodes by id: what the next tree is compared with.
 */
export interface StableTree<T extends TreeItem> {
  roots: TreeNode<T>[];
  byId: ReadonlyMap<string, TreeNode<T>>;
}

/**
 * The tree `next`, with every subtree that did not change since `previous` replaced by the
 * previous one's very node (same comment object, same replies in the same order, same counts).
 * The page re-renders a comment only when its node is a new object (CommentItem is memoised on
 * it), so a like, a reply or a page of new branches re-renders the comments it touched and their
 * ancestors, not the thousands beside them. The roots array itself is the previous one when
 * nothing at all changed. `next` must be freshly built (its nodes are not shared with `previous`):
 * its children arrays are rewritten in place. Iterative (parentsFirst): a pathologically deep
 * thread must not overflow the stack.
 */
export function keepUnchanged<T extends TreeItem>(previous: StableTree<T> | null, next: TreeNode<T>[]): StableTree<T> {
  const before = previous?.byId ?? new Map<string, TreeNode<T>>();
  const byId = new Map<string, TreeNode<T>>();
  // Walked backwards, every child is settled before its parent.
  const order = parentsFirst(next);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    node.children = node.children.map((child) => byId.get(child.item.id)!);
    const old = before.get(node.item.id);
    byId.set(node.item.id, old !== undefined && sameNode(old, node) ? old : node);
  }
  const roots = next.map((node) => byId.get(node.item.id)!);
  return { roots: previous !== null && sameList(previous.roots, roots) ? previous.roots : roots, byId };
}

function sameNode<T extends TreeItem>(old: TreeNode<T>, node: TreeNode<T>): boolean {
  return old.item === node.item && old.descendantCount === node.descendantCount && sameList(old.children, node.children);
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

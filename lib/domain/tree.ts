import type { Sort } from '../contract/api';

export interface TreeItem {
  id: string;
  parentId: string | null;
  seq: number;
  /** Orders top-level branches in the `top` sort. */
  likes?: number;
  /** Orders questions in the `answered-first` sort (lib/domain/questions.ts). */
  answerId?: string | null;
}

export interface TreeNode<T extends TreeItem> {
  item: T;
  children: TreeNode<T>[];
  /** Every comment below this one, at any depth. */
  descendantCount: number;
}

export interface BuildTreeOptions {
  /** Order of the top-level branches; replies are always oldest first. */
  sort?: Sort;
  /** Build only the branch rooted at this id (empty when it is not in `items`). */
  rootId?: string;
}

/**
 * Builds the comment tree from a flat list in any order. Siblings are ordered by
 * `seq` (oldest first). An item whose parent is missing from `items` becomes a
 * root, so a partial list still shows everything it has; items caught in a
 * parent cycle cannot be reached from a root and are left out.
 */
export function buildTree<T extends TreeItem>(items: readonly T[], options: BuildTreeOptions = {}): TreeNode<T>[] {
  const nodes = new Map<string, TreeNode<T>>();
  for (const item of items) nodes.set(item.id, { item, children: [], descendantCount: 0 });

  let roots: TreeNode<T>[] = [];
  for (const node of nodes.values()) {
    const parent = node.item.parentId === null ? undefined : nodes.get(node.item.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }

  const bySeqAsc = (a: TreeNode<T>, b: TreeNode<T>) => a.item.seq - b.item.seq;
  for (const node of nodes.values()) node.children.sort(bySeqAsc);

  if (options.rootId !== undefined) {
    const root = nodes.get(options.rootId);
    // Only a node below a real root is safe to walk: one caught in a cycle never ends.
    roots = root && reachable(roots).has(root) ? [root] : [];
  } else {
    roots.sort(rootOrder(options.sort, bySeqAsc));
  }
  for (const root of roots) countDescendants(root);
  return roots;
}

/** Top-level branches: by seq either way, or most liked first with ties oldest first (the store's `top` keyset). */
function rootOrder<T extends TreeItem>(sort: Sort | undefined, bySeqAsc: (a: TreeNode<T>, b: TreeNode<T>) => number) {
  if (sort === 'newest') return (a: TreeNode<T>, b: TreeNode<T>) => b.item.seq - a.item.seq;
  if (sort === 'top') return (a: TreeNode<T>, b: TreeNode<T>) => (b.item.likes ?? 0) - (a.item.likes ?? 0) || bySeqAsc(a, b);
  // Answered questions first (the store's `answered-first` keyset): one answered live rises among them.
  if (sort === 'answered-first') return (a: TreeNode<T>, b: TreeNode<T>) => Number(b.item.answerId != null) - Number(a.item.answerId != null) || bySeqAsc(a, b);
  return bySeqAsc;
}

function reachable<T extends TreeItem>(roots: readonly TreeNode<T>[]): Set<TreeNode<T>> {
  return new Set(parentsFirst(roots));
}

/**
 * Every node under `roots`, each before its descendants (walked backwards, every child comes
 * before its parent). Iterative, so a pathologically deep or wide thread cannot overflow the stack.
 */
export function parentsFirst<T extends TreeItem>(roots: readonly TreeNode<T>[]): TreeNode<T>[] {
  const order: TreeNode<T>[] = [];
  const stack = [...roots];
  while (stack.length) {
    const node = stack.pop()!;
    order.push(node);
    for (const child of node.children) stack.push(child);
  }
  return order;
}

function countDescendants<T extends TreeItem>(root: TreeNode<T>): void {
  const order = parentsFirst([root]);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    node.descendantCount = node.children.reduce((sum, child) => sum + 1 + child.descendantCount, 0);
  }
}

/** The items in display order: depth first, each node before its children. */
export function flattenTree<T extends TreeItem>(roots: readonly TreeNode<T>[]): T[] {
  const out: T[] = [];
  const stack = [...roots].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    out.push(node.item);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return out;
}

/**
 * A deleted comment stays only while it has replies to hold in place; a
 * deleted leaf (or a branch of nothing but deleted comments) is left out.
 * Mutates and returns the nodes given; counts are brought up to date.
 */
export function pruneDeletedLeaves<T extends TreeItem & { status: string }>(nodes: TreeNode<T>[]): TreeNode<T>[] {
  const kept: TreeNode<T>[] = [];
  for (const node of nodes) {
    node.children = pruneDeletedLeaves(node.children);
    if (node.item.status === 'deleted' && node.children.length === 0) continue;
    node.descendantCount = node.children.reduce((sum, child) => sum + 1 + child.descendantCount, 0);
    kept.push(node);
  }
  return kept;
}

/**
 * The branches under `nodes` that lead to an item `wanted` picks, cut down to
 * those paths (each wanted item with the replies on the way to it, not the
 * replies around it), and how many items they hold. Below the depth a page
 * nests to, this is what stays in view: a reader's own replies, where they
 * wrote them (the rest waits behind "Continue this thread"). The nodes
 * returned are new (those given are not changed); each keeps the count of its
 * whole branch. Iterative, like the rest of this file.
 */
export function pathsTo<T extends TreeItem>(nodes: readonly TreeNode<T>[], wanted: (item: T) => boolean): { nodes: TreeNode<T>[]; count: number } {
  const parent = new Map<TreeNode<T>, TreeNode<T> | undefined>();
  const order: TreeNode<T>[] = [];
  const stack: [TreeNode<T>, TreeNode<T> | undefined][] = nodes.map((n) => [n, undefined]);
  while (stack.length) {
    const [node, up] = stack.pop()!;
    parent.set(node, up);
    order.push(node);
    for (const child of node.children) stack.push([child, node]);
  }
  const kept = new Set<TreeNode<T>>();
  for (const node of order) {
    if (!wanted(node.item)) continue;
    for (let at: TreeNode<T> | undefined = node; at && !kept.has(at); at = parent.get(at)) kept.add(at);
  }
  // Parents come before their children in `order`: copied backwards, every child is ready before its parent.
  const copies = new Map<TreeNode<T>, TreeNode<T>>();
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    if (kept.has(node)) copies.set(node, { ...node, children: node.children.filter((c) => kept.has(c)).map((c) => copies.get(c)!) });
  }
  return { nodes: nodes.filter((n) => kept.has(n)).map((n) => copies.get(n)!), count: kept.size };
}

/**
 * The ids a page that nests `maxDepth` levels shows, `roots` being level 1: every item down to that
 * depth, and below it only the paths to the items `kept` picks (a reader's own replies, see pathsTo);
 * the rest waits behind "Continue this thread". The server slims what it sends by it; the page asks
 * it whether a link to a comment can stay on the page.
 */
export function shownToDepth<T extends TreeItem>(roots: readonly TreeNode<T>[], maxDepth: number, kept: (item: T) => boolean): Set<string> {
  const shown = new Set<string>();
  const stack: [TreeNode<T>, number][] = roots.map((n) => [n, 1]);
  while (stack.length) {
    const [node, level] = stack.pop()!;
    shown.add(node.item.id);
    if (level < maxDepth) for (const child of node.children) stack.push([child, level + 1]);
    else for (const below of flattenTree(pathsTo(node.children, kept).nodes)) shown.add(below.id);
  }
  return shown;
}

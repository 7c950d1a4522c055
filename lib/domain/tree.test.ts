import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildTree, flattenTree, pathsTo, shownToDepth, type TreeItem, type TreeNode } from './tree';

function item(id: string, parentId: string | null, seq: number): TreeItem {
  return { id, parentId, seq };
}

/** The tree as text, e.g. `r1(a(a1,a2),b)`, so a whole shape fits in one assertion. */
function shape(nodes: readonly TreeNode<TreeItem>[]): string {
  return nodes.map((n) => (n.children.length ? `${n.item.id}(${shape(n.children)})` : n.item.id)).join(',');
}

function ids(items: readonly TreeItem[]): string[] {
  return items.map((i) => i.id);
}

function counts(nodes: readonly TreeNode<TreeItem>[]): Record<string, number> {
  const out: Record<string, number> = {};
  const visit = (n: TreeNode<TreeItem>) => {
    out[n.item.id] = n.descendantCount;
    n.children.forEach(visit);
  };
  nodes.forEach(visit);
  return out;
}

/**
 * Three top-level comments and their replies, listed so that no order can be
 * taken for granted: children come before their parents, roots come last, and
 * every sibling group is out of seq order.
 */
const UNSORTED: readonly TreeItem[] = [
  item('a2', 'a', 7),
  item('d', 'r2', 8),
  item('a1', 'a', 3),
  item('b', 'r1', 4),
  item('c', 'r2', 6),
  item('a', 'r1', 2),
  item('r2', null, 5),
  item('r3', null, 9),
  item('r1', null, 1),
];

describe('buildTree', () => {
  test('orders siblings oldest first at every level, whatever the input order', () => {
    assert.equal(shape(buildTree(UNSORTED)), 'r1(a(a1,a2),b),r2(c,d),r3');
  });

  test("'oldest' is the same as the default", () => {
    assert.equal(shape(buildTree(UNSORTED, { sort: 'oldest' })), shape(buildTree(UNSORTED)));
  });

  test("'newest' reverses the top level only; replies stay oldest first", () => {
    assert.equal(shape(buildTree(UNSORTED, { sort: 'newest' })), 'r3,r2(c,d),r1(a(a1,a2),b)');
  });

  test('counts every descendant of each node, at any depth', () => {
    assert.deepEqual(counts(buildTree(UNSORTED)), { r1: 4, a: 2, a1: 0, a2: 0, b: 0, r2: 2, c: 0, d: 0, r3: 0 });
  });

  test('rootId builds just that branch, with its own counts', () => {
    const tree = buildTree(UNSORTED, { rootId: 'a' });
    assert.equal(shape(tree), 'a(a1,a2)');
    assert.deepEqual(counts(tree), { a: 2, a1: 0, a2: 0 });
  });

  test('rootId can name a leaf', () => {
    const tree = buildTree(UNSORTED, { rootId: 'c' });
    assert.equal(shape(tree), 'c');
    assert.equal(tree[0]?.descendantCount, 0);
  });

  test('an unknown rootId gives no tree', () => {
    assert.deepEqual(buildTree(UNSORTED, { rootId: 'nope' }), []);
  });

  test('an item whose parent is missing becomes a root, replies and all', () => {
    // A partial list (e.g. a page of comments) must still show what it has.
    const items = [item('x1', 'x', 4), item('x', 'gone', 3), item('r2', null, 5), item('r1', null, 1)];
    const tree = buildTree(items);
    assert.equal(shape(tree), 'r1,x(x1),r2');
    assert.deepEqual(counts(tree), { r1: 0, x: 1, x1: 0, r2: 0 });
  });

  test('items in a parent cycle are left out, the rest still builds', () => {
    const items = [item('p', 'q', 2), item('self', 'self', 4), item('q', 'p', 3), item('r1', null, 1), item('q1', 'q', 5)];
    const tree = buildTree(items);
    assert.equal(shape(tree), 'r1');
    assert.deepEqual(flattenTree(tree).map((i) => i.id), ['r1']);
  });

  test('rootId inside a parent cycle still finishes', async () => {
    // A hang here would wedge the test run, so the call runs in a worker with a
    // small heap: a runaway walk ends as an out-of-memory error, not a timeout.
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      require(workerData.tsx).register();
      const { buildTree, flattenTree } = require(workerData.tree);
      const items = [{ id: 'p', parentId: 'q', seq: 1 }, { id: 'q', parentId: 'p', seq: 2 }];
      parentPort.postMessage(flattenTree(buildTree(items, { rootId: 'p' })).map((i) => i.id));
    `;
    const worker = new Worker(code, {
      eval: true,
      workerData: { tsx: require.resolve('tsx/cjs/api'), tree: path.join(__dirname, 'tree.ts') },
      resourceLimits: { maxOldGenerationSizeMb: 32 },
    });
    try {
      const outcome = await new Promise<{ ids: string[] } | { error: Error }>((resolve) => {
        worker.once('message', (value: string[]) => resolve({ ids: value }));
        worker.once('error', (error) => resolve({ error }));
      });
      if ('error' in outcome) assert.fail(`buildTree/flattenTree did not finish: ${outcome.error.message}`);
      assert.equal(new Set(outcome.ids).size, outcome.ids.length, 'no item may appear twice');
    } finally {
      await worker.terminate();
    }
  });

  test('a 20,000-deep chain builds and flattens without overflowing the stack', () => {
    const depth = 20_000;
    const chain = Array.from({ length: depth }, (_, i) => item(`c${i}`, i === 0 ? null : `c${i - 1}`, i + 1));
    const tree = buildTree([...chain].reverse());
    assert.equal(tree.length, 1);
    assert.equal(tree[0]?.descendantCount, depth - 1);
    assert.deepEqual(ids(flattenTree(tree)), ids(chain));
  });

  test('a comment with 200,000 direct replies builds without overflowing the stack', () => {
    const replies = 200_000;
    const items = [item('r', null, 1), ...Array.from({ length: replies }, (_, i) => item(`c${i}`, 'r', i + 2))];
    const tree = buildTree(items);
    assert.equal(tree[0]?.descendantCount, replies);
    assert.equal(flattenTree(tree).length, replies + 1);
  });

  test('leaves the input array and its items untouched, and reuses the items', () => {
    const input = [...UNSORTED];
    const before = structuredClone(input);
    const flat = flattenTree(buildTree(input, { sort: 'newest' }));
    assert.deepEqual(input, before);
    assert.deepEqual(ids(input), ids(UNSORTED));
    assert.ok(flat.every((i) => UNSORTED.includes(i)), 'the tree should hold the caller’s own items');
  });

  test('an empty list gives an empty tree', () => {
    assert.deepEqual(buildTree([]), []);
  });
});

describe('flattenTree', () => {
  test('lists the built tree depth first, each node before its replies', () => {
    assert.deepEqual(ids(flattenTree(buildTree(UNSORTED))), ['r1', 'a', 'a1', 'a2', 'b', 'r2', 'c', 'd', 'r3']);
    assert.deepEqual(ids(flattenTree(buildTree(UNSORTED, { sort: 'newest' }))), ['r3', 'r2', 'c', 'd', 'r1', 'a', 'a1', 'a2', 'b']);
  });

  test('keeps the order of the nodes it is given rather than re-sorting by seq', () => {
    const node = (i: TreeItem, children: TreeNode<TreeItem>[] = []): TreeNode<TreeItem> => ({ item: i, children, descendantCount: 0 });
    const roots = [node(item('late', null, 9), [node(item('y', 'late', 11)), node(item('x', 'late', 10))]), node(item('early', null, 1))];
    assert.deepEqual(ids(flattenTree(roots)), ['late', 'y', 'x', 'early']);
  });

  test('does not change the roots array it is given', () => {
    const roots = buildTree(UNSORTED);
    const before = ids(roots.map((r) => r.item));
    flattenTree(roots);
    assert.deepEqual(ids(roots.map((r) => r.item)), before);
  });
});

describe('pathsTo', () => {
  // r1(a(a1,a2),b), r2(c,d), r3 — with a2 and d picked.
  const picked = (i: TreeItem) => i.id === 'a2' || i.id === 'd';

  test('keeps only the paths to the picked items, with the replies on the way, and counts them', () => {
    const { nodes, count } = pathsTo(buildTree(UNSORTED), picked);
    assert.equal(shape(nodes), 'r1(a(a2)),r2(d)');
    assert.equal(count, 5);
  });

  test('a picked item keeps the way to it only: its own replies are not picked with it', () => {
    assert.equal(shape(pathsTo(buildTree(UNSORTED), (i) => i.id === 'a').nodes), 'r1(a)');
  });

  test('nothing picked: nothing kept', () => {
    assert.deepEqual(pathsTo(buildTree(UNSORTED), () => false), { nodes: [], count: 0 });
  });

  test('leaves the tree it is given as it was; each kept node still counts its whole branch', () => {
    const tree = buildTree(UNSORTED);
    const { nodes } = pathsTo(tree, picked);
    assert.equal(shape(tree), 'r1(a(a1,a2),b),r2(c,d),r3');
    assert.deepEqual(counts(nodes), { r1: 4, a: 2, a2: 0, r2: 2, d: 0 });
    // Taken again (as each nested level does), the paths stay the same.
    assert.equal(shape(pathsTo(nodes, picked).nodes), 'r1(a(a2)),r2(d)');
  });

  test('the end of a 20,000-deep chain is reached without overflowing the stack', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => item(`n${i}`, i === 0 ? null : `n${i - 1}`, i));
    assert.equal(pathsTo(buildTree(chain), (i) => i.id === 'n19999').count, 20_000);
  });
});

describe('shownToDepth', () => {
  // r1(a(a1,a2),b), r2(c,d), r3
  const sorted = (set: Set<string>) => [...set].sort();

  test('shows every item down to the depth and nothing below it', () => {
    assert.deepEqual(sorted(shownToDepth(buildTree(UNSORTED), 2, () => false)), ['a', 'b', 'c', 'd', 'r1', 'r2', 'r3']);
    assert.deepEqual(sorted(shownToDepth(buildTree(UNSORTED), 1, () => false)), ['r1', 'r2', 'r3']);
  });

  test('below the depth, the paths to kept items stay, not the replies around them', () => {
    assert.deepEqual(sorted(shownToDepth(buildTree(UNSORTED), 2, (i) => i.id === 'a2')), ['a', 'a2', 'b', 'c', 'd', 'r1', 'r2', 'r3']);
    // A kept item deep in a chain brings the chain down to it, and nothing under it.
    const chain = Array.from({ length: 10 }, (_, i) => item(`n${i}`, i === 0 ? null : `n${i - 1}`, i));
    assert.deepEqual(sorted(shownToDepth(buildTree(chain), 3, (i) => i.id === 'n6')), ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6']);
  });

  test('levels count from the roots given (a branch page starts at its own root)', () => {
    const chain = Array.from({ length: 10 }, (_, i) => item(`n${i}`, i === 0 ? null : `n${i - 1}`, i));
    assert.deepEqual(sorted(shownToDepth(buildTree(chain, { rootId: 'n7' }), 2, () => false)), ['n7', 'n8']);
  });
});

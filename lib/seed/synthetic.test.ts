import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syntheticComments } from './synthetic';

test('a synthetic thread has the comments asked for, parents before children, within the depth', () => {
  const comments = syntheticComments({ comments: 5000, maxDepth: 8, seed: 7 });
  assert.equal(comments.length, 5000);
  const depths = new Map<number, number>();
  for (const c of comments) {
    if (c.parentKey === null) assert.equal(c.depth, 1);
    else {
      assert.ok(c.parentKey < c.key, 'a parent comes before its replies');
      assert.equal(c.depth, depths.get(c.parentKey)! + 1);
      assert.equal(comments[c.parentKey]!.status, 'visible', 'nobody replies to a deleted comment');
    }
    assert.ok(c.depth <= 8);
    depths.set(c.key, c.depth);
  }
});

test('a synthetic thread looks like a busy discussion: varied lengths, real branching, deep chains', () => {
  const comments = syntheticComments({ comments: 10_000, maxDepth: 8, seed: 1 });
  const visible = comments.filter((c) => c.status === 'visible');
  const lengths = visible.map((c) => [...c.body].length).sort((a, b) => a - b);
  assert.ok(lengths[0]! >= 1 && lengths.at(-1)! <= 5000, 'every body is a valid comment');
  const median = lengths[lengths.length >> 1]!;
  assert.ok(median > 80 && median < 600, `median length ${median}`);
  assert.ok(lengths.at(-1)! > 4 * median, 'a few long comments');
  const topLevel = comments.filter((c) => c.parentKey === null).length;
  assert.ok(topLevel > 1000 && topLevel < 5000, `${topLevel} top-level comments`);
  assert.ok(comments.some((c) => c.depth === 8), 'some branches reach the deepest level');
  const replyCounts = new Map<number, number>();
  for (const c of comments) if (c.parentKey !== null) replyCounts.set(c.parentKey, (replyCounts.get(c.parentKey) ?? 0) + 1);
  assert.ok(Math.max(...replyCounts.values()) >= 8, 'some comments draw many replies');
  assert.ok(comments.every((c, i) => i === 0 || c.createdAt! >= comments[i - 1]!.createdAt!), 'times only move forward');
});

test('the same seed gives the same thread; another seed another', () => {
  const a = syntheticComments({ comments: 300, maxDepth: 5, seed: 42 });
  assert.deepEqual(syntheticComments({ comments: 300, maxDepth: 5, seed: 42 }), a);
  assert.notDeepEqual(syntheticComments({ comments: 300, maxDepth: 5, seed: 43 }), a);
});

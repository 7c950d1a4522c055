import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TreeNode } from '../domain/tree';
import { comment } from './commentFixture';
import { foldMuted, GUEST_MUTES_MAX, isMutedComment, parseGuestMutes, peopleIn, withMute, withoutMute } from './readerMutes';
import type { ClientComment } from './threadState';

const by = (id: string, key: string | undefined, overrides: Partial<ClientComment> = {}): TreeNode<ClientComment> => ({
  item: { ...comment(id, 1, null, { author: { name: `Name ${key}`, ...(key !== undefined && { key }) } }), mine: false, ...overrides },
  children: [],
  descendantCount: 0,
});
const shape = (entries: ReturnType<typeof foldMuted>) => entries.map((e) => (e.kind === 'shown' ? e.node.item.id : `[${e.nodes.map((n) => n.item.id).join(' ')}]`));

describe('folding muted people’s comments', () => {
  test('consecutive muted comments fold into one run; others stand between runs', () => {
    const nodes = [by('a', 'k1'), by('b', 'm1'), by('c', 'm2'), by('d', 'm1'), by('e', 'k2'), by('f', 'm2'), by('g', undefined)];
    const entries = foldMuted(nodes, new Set(['m1', 'm2']));
    assert.deepEqual(shape(entries), ['a', '[b c d]', 'e', '[f]', 'g']);
    const run = entries[1];
    assert.ok(run?.kind === 'muted');
    assert.equal(run.id, 'b', 'a fold is named by its first comment, so it stays the same while others arrive after it');
    assert.deepEqual(peopleIn(run), [
      { key: 'm1', name: 'Name m1' },
      { key: 'm2', name: 'Name m2' },
    ]);
  });

  test('nothing muted: every comment shown, in order, the same nodes', () => {
    const nodes = [by('a', 'k1'), by('b', 'k2')];
    const entries = foldMuted(nodes, new Set());
    assert.deepEqual(shape(entries), ['a', 'b']);
    assert.equal(entries[0]?.kind === 'shown' && entries[0].node, nodes[0]);
  });

  test('one’s own comments, hidden ones and those without a key never fold', () => {
    const muted = new Set(['m']);
    assert.equal(isMutedComment(by('a', 'm', { mine: true }).item, muted), false);
    assert.equal(isMutedComment(by('b', 'm', { status: 'removed' }).item, muted), false);
    assert.equal(isMutedComment(by('c', undefined).item, muted), false);
    assert.equal(isMutedComment(by('d', 'm').item, muted), true);
  });
});

describe('a guest’s mutes in the browser', () => {
  test('read defensively: bad JSON, wrong shapes and repeats are dropped', () => {
    assert.deepEqual(parseGuestMutes(null), []);
    assert.deepEqual(parseGuestMutes('{nope'), []);
    assert.deepEqual(parseGuestMutes('{"key":"x"}'), []);
    assert.deepEqual(parseGuestMutes(JSON.stringify([{ key: 'k', name: 'Ann', commentId: 'c1' }, { key: 'k', name: 'Ann', commentId: 'c2' }, { key: 'j' }, 7, { key: 'l', name: 5, commentId: 'c3' }])), [
      { key: 'k', name: 'Ann', commentId: 'c1' },
      { key: 'l', name: null, commentId: 'c3' },
    ]);
  });

  test('muting twice keeps one entry; unmuting removes it; the list is bounded, oldest dropped first', () => {
    let mutes = withMute([], { key: 'k', name: 'Ann', commentId: 'c' });
    assert.equal(withMute(mutes, { key: 'k', name: 'Ann', commentId: 'd' }).length, 1);
    mutes = withoutMute(mutes, 'k');
    assert.deepEqual(mutes, []);
    for (let i = 0; i <= GUEST_MUTES_MAX; i++) mutes = withMute(mutes, { key: `k${i}`, name: null, commentId: `c${i}` });
    assert.equal(mutes.length, GUEST_MUTES_MAX);
    assert.equal(mutes[0]?.key, 'k1');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SeqOrder } from './seqOrder';

const e = (seq: number) => ({ seq });
const seqs = (events: { seq: number }[]) => events.map((x) => x.seq);

describe('SeqOrder', () => {
  test('applies in order, holds events beyond a hole and reports the gap', () => {
    const order = new SeqOrder(3);
    assert.deepEqual(seqs(order.live(e(4))), [4]);
    assert.deepEqual(seqs(order.live(e(6))), []);
    assert.equal(order.gap, true);
    assert.deepEqual(seqs(order.answer([e(5), e(6)])), [5, 6]);
    assert.equal(order.gap, false);
    assert.equal(order.last, 6);
    assert.equal(order.duplicates, 1);
  });

  test('live events that overtake the subscribe answer wait for it, and are no gap', () => {
    const order = new SeqOrder(10);
    order.hold();
    assert.deepEqual(seqs(order.live(e(13))), []);
    assert.deepEqual(seqs(order.live(e(12))), []);
    assert.equal(order.gap, false, 'the answer will bring 11 and 12');
    // Joined before the read: the answer repeats 12, which is dropped once.
    assert.deepEqual(seqs(order.answer([e(11), e(12)])), [11, 12, 13]);
    assert.equal(order.duplicates, 1);
    assert.equal(order.gap, false);
  });

  test('drops what it already has, from either source', () => {
    const order = new SeqOrder(0);
    order.live(e(1));
    order.live(e(1));
    assert.deepEqual(seqs(order.answer([e(1), e(2)])), [2]);
    assert.equal(order.last, 2);
    assert.equal(order.duplicates, 2);
  });

  test('a hole still there after the answer is a gap; a failed subscribe leaves its events waiting', () => {
    const order = new SeqOrder(0);
    order.hold();
    order.live(e(5));
    assert.deepEqual(seqs(order.answer([e(1), e(2)])), [1, 2]);
    assert.equal(order.gap, true);
    order.hold();
    order.release();
    assert.equal(order.gap, true);
    assert.deepEqual(seqs(order.answer([e(3), e(4)])), [3, 4, 5]);
  });
});

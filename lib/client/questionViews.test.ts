import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CommentView, Sort, ThreadEventWire } from '../contract/api';
import { comment } from './commentFixture';
import { unseen } from './arrivals';
import { answerIds, initialState, reduce, shownInView, visibleTree, type ThreadState } from './threadState';

const settings = { locked: false, slowModeSeconds: 0, preModeration: false, hidden: false };
const updated = (c: CommentView): ThreadEventWire => ({ slug: 's', seq: c.seq, type: 'comment.updated', comment: c });

/** Questions q1, q2, q3 (q2 answered by a2) in a Q&A thread, in the given view. */
function start(sort: Sort): ThreadState {
  const comments = [comment('q1', 1), comment('q2', 2, null, { answerId: 'a2' }), comment('a2', 3, 'q2'), comment('q3', 4), comment('r3', 5, 'q3')];
  return initialState({ slug: 's', sort, seq: 5, locked: false, qa: true, comments });
}

const roots = (state: ThreadState) => visibleTree(state).map((n) => n.item.id);

describe('the Q&A views of a page', () => {
  test('answered first puts answered questions first, each group oldest first', () => {
    assert.deepEqual(roots(start('answered-first')), ['q2', 'q1', 'q3']);
  });

  test('a question answered live rises among the answered ones, and its answer is known to highlight', () => {
    const answered = reduce(start('answered-first'), { type: 'event', event: updated(comment('q3', 6, null, { answerId: 'r3' })) });
    assert.deepEqual(roots(answered), ['q2', 'q3', 'q1']);
    assert.deepEqual([...answerIds(answered)].sort(), ['a2', 'r3']);
  });

  test('the answered and unanswered views hold only theirs, and follow a question answered live', () => {
    assert.deepEqual(roots(start('answered')), ['q2']);
    assert.deepEqual(roots(start('unanswered')), ['q1', 'q3']);
    const event = { type: 'event' as const, event: updated(comment('q3', 6, null, { answerId: 'r3' })) };
    assert.deepEqual(roots(reduce(start('unanswered'), event)), ['q1']);
    assert.deepEqual(roots(reduce(start('answered'), event)), ['q2', 'q3']);
  });

  test('thread.updated switches Q&A on and off; answers are highlighted only in a Q&A thread', () => {
    const off = reduce(start('oldest'), { type: 'event', event: { slug: 's', seq: 6, type: 'thread.updated', thread: { ...settings, qa: false } } });
    assert.equal(off.qa, false);
    assert.equal(answerIds(off).size, 0);
    const on = reduce(off, { type: 'event', event: { slug: 's', seq: 7, type: 'thread.updated', thread: { ...settings, qa: true } } });
    assert.equal(on.qa, true);
  });
});

describe('the arrivals pill in the Q&A views', () => {
  test('counts a new question in the unanswered view, not in the answered one; a reply counts where its question is shown', () => {
    const arrive = (state: ThreadState) =>
      reduce(reduce(state, { type: 'event', event: { slug: 's', seq: 6, type: 'comment.created', comment: comment('q4', 6) } }), {
        type: 'event',
        event: { slug: 's', seq: 7, type: 'comment.created', comment: comment('r1', 7, 'q1') },
      });
    const counted = (state: ThreadState) => unseen({ back: null, held: ['q4', 'r1'], comments: state.comments, rootId: null, inView: shownInView(state) });
    assert.deepEqual(counted(arrive(start('unanswered'))), ['q4', 'r1']);
    assert.deepEqual(counted(arrive(start('answered'))), []);
    assert.deepEqual(counted(arrive(start('answered-first'))), ['q4', 'r1']);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { answerLost, answersByBadge, answersOnItsOwn, canBeAnswer, inQaView, isQaSort, isQuestion } from './questions';

const qa = { qa: true };
const plain = { qa: false };
const question = { id: 'q', depth: 1, rootId: 'q', status: 'visible' as const, answerId: null };
const direct = { id: 'r1', depth: 2, rootId: 'q', status: 'visible' as const };
const deep = { id: 'r2', depth: 4, rootId: 'q', status: 'visible' as const };

describe('what makes a question answered', () => {
  test('a question is a top-level comment of a Q&A thread, nothing else', () => {
    assert.equal(isQuestion(qa, question), true);
    assert.equal(isQuestion(qa, direct), false);
    assert.equal(isQuestion(plain, question), false);
  });

  test('staff, journalist and expert badges answer; none, or no badge, does not', () => {
    assert.equal(answersByBadge(['staff']), true);
    assert.equal(answersByBadge(['journalist']), true);
    assert.equal(answersByBadge(['expert']), true);
    assert.equal(answersByBadge([]), false);
    assert.equal(answersByBadge(undefined), false);
  });

  test("a badge holder's reply anywhere in the branch answers an open question", () => {
    assert.equal(answersOnItsOwn(qa, question, direct, ['expert']), true);
    assert.equal(answersOnItsOwn(qa, question, deep, ['journalist']), true);
  });

  test('it does not answer without a badge, outside Q&A, in another branch, or a question already answered', () => {
    assert.equal(answersOnItsOwn(qa, question, direct, undefined), false);
    assert.equal(answersOnItsOwn(plain, question, direct, ['staff']), false);
    assert.equal(answersOnItsOwn(qa, question, { ...direct, rootId: 'other' }, ['staff']), false);
    assert.equal(answersOnItsOwn(qa, { ...question, answerId: 'r0' }, direct, ['staff']), false);
  });

  test('a held, removed or deleted reply is never the answer, nor one under a question that is not shown', () => {
    for (const status of ['pending', 'removed', 'deleted'] as const) {
      assert.equal(canBeAnswer(qa, question, { ...direct, status }), false, status);
      assert.equal(canBeAnswer(qa, { ...question, status }, direct), false, status);
    }
  });

  test('a moderator may mark any shown reply of the branch, badge or not; never the question itself', () => {
    assert.equal(canBeAnswer(qa, question, deep), true);
    assert.equal(canBeAnswer(qa, question, question), false);
  });

  test('the answer is lost when it stops being shown, and only then', () => {
    const answered = { ...question, answerId: 'r1' };
    assert.equal(answerLost(answered, { ...direct, status: 'removed' }), true);
    assert.equal(answerLost(answered, { ...direct, status: 'deleted' }), true);
    assert.equal(answerLost(answered, direct), false);
    assert.equal(answerLost(answered, { ...deep, status: 'removed' }), false);
  });

  test('the answered and unanswered views hold their questions; the others hold all', () => {
    assert.equal(inQaView('answered', { answerId: 'r1' }), true);
    assert.equal(inQaView('answered', { answerId: null }), false);
    assert.equal(inQaView('unanswered', {}), true);
    assert.equal(inQaView('unanswered', { answerId: 'r1' }), false);
    assert.equal(inQaView('answered-first', {}), true);
    assert.equal(inQaView('oldest', {}), true);
    assert.equal(isQaSort('answered-first'), true);
    assert.equal(isQaSort('top'), false);
  });
});

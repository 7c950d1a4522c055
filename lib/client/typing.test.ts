import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { arrived, expired, nextExpiry, signalled, TOP, writersByPlace, type Writers } from './typing';

const none: Writers = [];

describe('who is writing where', () => {
  test('a signal puts a writer at the place the comment will land; a repeat only moves their deadline', () => {
    let writers = signalled(none, { parentId: null, clientId: 'bob-top' }, 1000);
    writers = signalled(writers, { parentId: 'c1', clientId: 'ann-c1' }, 1500);
    writers = signalled(writers, { parentId: null, clientId: 'bob-top' }, 4000);
    assert.deepEqual(writersByPlace(writers), { [TOP]: 1, c1: 1 });
    assert.equal(writers.find((w) => w.clientId === 'bob-top')?.until, 4000);
    assert.equal(nextExpiry(writers), 1500);
  });

  test('two writers at one place are counted apart', () => {
    const writers = signalled(signalled(none, { parentId: 'c1', clientId: 'a' }, 1), { parentId: 'c1', clientId: 'b' }, 1);
    assert.deepEqual(writersByPlace(writers), { c1: 2 });
  });

  test("a writer's comment arriving ends their notice at once, and only theirs", () => {
    let writers = signalled(none, { parentId: 'c1', clientId: 'a' }, 9000);
    writers = signalled(writers, { parentId: 'c1', clientId: 'b' }, 9000);
    writers = arrived(writers, { parentId: 'c1', clientId: 'a' });
    assert.deepEqual(
      writers.map((w) => w.clientId),
      ['b'],
    );
    // A comment from elsewhere, or one posted without a clientId, ends nobody who gave theirs.
    assert.equal(arrived(writers, { parentId: null, clientId: 'b-top' }), writers);
    assert.equal(arrived(writers, { parentId: 'c1' }), writers);
  });

  test('a signal from an older page (no clientId) is known by its place: any comment there ends it', () => {
    let writers = signalled(none, { parentId: null }, 9000);
    writers = signalled(writers, { parentId: null }, 9500);
    assert.equal(writers.length, 1, 'the same anonymous writer, signalling again');
    assert.equal(arrived(writers, { parentId: 'c1', clientId: 'x' }), writers, 'a comment elsewhere');
    assert.deepEqual(arrived(writers, { parentId: null, clientId: 'x' }), []);
  });

  test('a notice runs out without another signal', () => {
    const writers = signalled(signalled(none, { parentId: null, clientId: 'a' }, 100), { parentId: 'c1', clientId: 'b' }, 200);
    assert.equal(expired(writers, 50), writers, 'nothing ran out: the same list');
    assert.deepEqual(writersByPlace(expired(writers, 100)), { c1: 1 });
    assert.equal(nextExpiry(expired(writers, 200)), null);
  });
});

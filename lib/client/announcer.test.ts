import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBatchAnnouncer, type AnnouncerClock } from './announcer';

/** A clock that moves only when the test says so. */
function fakeClock(): AnnouncerClock & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  return {
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout(handle) {
      timers = timers.filter((t) => t.id !== handle);
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
    pending: () => timers.length,
  };
}

test('arrivals within one interval are announced once, as one count', () => {
  const clock = fakeClock();
  const said: number[] = [];
  const announcer = createBatchAnnouncer({ intervalMs: 5000, clock, announce: (n) => said.push(n) });
  announcer.add();
  clock.advance(1000);
  announcer.add();
  announcer.add(2);
  clock.advance(3999);
  assert.deepEqual(said, [], 'nothing is said before the interval ends');
  clock.advance(1);
  assert.deepEqual(said, [4]);
  assert.equal(clock.pending(), 0, 'no timer left once the batch is out');
});

test('a steady stream is announced at most once per interval', () => {
  const clock = fakeClock();
  const said: number[] = [];
  const announcer = createBatchAnnouncer({ intervalMs: 5000, clock, announce: (n) => said.push(n) });
  // One comment a second for 20 seconds.
  for (let s = 0; s < 20; s++) {
    announcer.add();
    clock.advance(1000);
  }
  clock.advance(5000);
  assert.deepEqual(said, [5, 5, 5, 5]);
  assert.equal(
    said.reduce((a, b) => a + b, 0),
    20,
    'every comment is counted once',
  );
});

test('a quiet thread says nothing, and nothing after dispose', () => {
  const clock = fakeClock();
  const said: number[] = [];
  const announcer = createBatchAnnouncer({ intervalMs: 5000, clock, announce: (n) => said.push(n) });
  announcer.add(0);
  clock.advance(10_000);
  assert.deepEqual(said, []);
  announcer.add(3);
  announcer.dispose();
  clock.advance(10_000);
  assert.deepEqual(said, []);
  assert.equal(clock.pending(), 0);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tapFailures } from './tapFailures';

// A report as node:test writes it: a subtest that failed, its parent (failed only because of it),
// a test that threw, and one that passed.
const TAP = `TAP version 13
# Subtest: outer
    # Subtest: inner fails
    not ok 1 - inner fails
      ---
      duration_ms: 2.012217
      location: '/tmp/a.test.mjs:2:38'
      failureType: 'testCodeFailure'
      error: |-
        one is not two
        
        1 !== 2
        
      code: 'ERR_ASSERTION'
      stack: |-
        TestContext.<anonymous> (file:///tmp/a.test.mjs:2:73)
      ...
    1..1
not ok 1 - outer
  ---
  duration_ms: 2.975796
  location: '/tmp/a.test.mjs:2:1'
  failureType: 'subtestsFailed'
  error: '1 subtest failed'
  code: 'ERR_TEST_FAILURE'
  ...
# Subtest: top fails
not ok 2 - top fails
  ---
  duration_ms: 0.112384
  location: '/tmp/a.test.mjs:3:1'
  failureType: 'testCodeFailure'
  error: 'timed out after 27000 ms waiting for x'
  code: 'ERR_TEST_FAILURE'
  ...
# Subtest: ok
ok 3 - ok
  ---
  duration_ms: 0.443802
  ...
1..3
# fail 2
`;

test('the failures of a TAP report: each with its location and its error, parents failed by a subtest left out', () => {
  assert.deepEqual(tapFailures(TAP), [
    { name: 'inner fails', location: '/tmp/a.test.mjs:2:38', error: ['one is not two', '1 !== 2'] },
    { name: 'top fails', location: '/tmp/a.test.mjs:3:1', error: ['timed out after 27000 ms waiting for x'] },
  ]);
});

test('a long error keeps its first and its last lines: a child process says why it failed at the end', () => {
  const output = Array.from({ length: 20 }, (_, i) => `        line ${i + 1}`).join('\n');
  const [failure] = tapFailures(TAP.replace("        one is not two\n        \n        1 !== 2\n", `${output}\n`), { first: 2, last: 3 });
  assert.deepEqual(failure?.error, ['line 1', 'line 2', '… 15 lines …', 'line 18', 'line 19', 'line 20']);
});

test('a report with no failures, or none at all, has none', () => {
  assert.deepEqual(tapFailures(TAP.replace(/not ok/g, 'ok')), []);
  assert.deepEqual(tapFailures(''), []);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonErrorOffset } from './jsonSyntax';

test('valid JSON has no error offset', () => {
  for (const text of ['{}', ' [1, -2.5e3, "a\\u00e9\\n", true, false, null, {"k": []}] ', '"x"', '0']) assert.equal(jsonErrorOffset(text), undefined, text);
});

test('the offset is the first character that cannot continue the value, and agrees with JSON.parse where V8 gives one', () => {
  const cases: [string, number][] = [
    ['{"id":"1",,"x":2}', 10],
    ['{"pid":,"text":""}', 7],
    ['<?xml version="1.0"?>', 0],
    ['{"a":1 "b":2}', 7],
    ['{"a":"unfinished', 16],
    ['[1, 2', 5],
    ['{"a":tru}', 8],
    ['{"a":"tab\there"}', 9],
    ['{"a":1} trailing', 8],
    ['{"a":01}', 6],
  ];
  for (const [text, offset] of cases) {
    assert.equal(jsonErrorOffset(text), offset, text);
    assert.throws(() => JSON.parse(text));
    const v8 = / at position (\d+)/.exec(((): string => {
      try {
        JSON.parse(text);
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })());
    if (v8) assert.equal(Number(v8[1]), offset, `V8 agrees on ${text}`);
  }
});

test('nesting deeper than the stack gives no offset rather than a crash', () => {
  assert.equal(jsonErrorOffset('['.repeat(200_000)), undefined);
});

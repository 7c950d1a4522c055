import assert from 'node:assert/strict';
import { test } from 'node:test';
import { charactersBySource, decodeSegment, sourceGroup } from './sourceBreakdown';

test('decodes base64 VLQ segments, signs and continuation digits included', () => {
  const cases: [string, number[]][] = [
    ['AAAA', [0, 0, 0, 0]],
    ['CACA', [1, 0, 1, 0]],
    ['D', [-1]],
    ['gB', [16]],
    ['hB', [-16]],
    ['2HAAC', [123, 0, 0, 1]],
  ];
  for (const [segment, values] of cases) assert.deepEqual(decodeSegment(segment), values, segment);
  assert.throws(() => decodeSegment('A!'), /not a base64 VLQ digit/);
});

test('counts each segment up to the next on its line for its source, the rest of the line too', () => {
  // Line 1: columns 0–3 from a.js, 4–9 from b.js; line 2: columns 0–1 unmapped, 2–4 from a.js.
  const code = 'aaaabbbbbb\nxxaaa';
  const map = { sources: ['a.js', 'b.js'], mappings: 'AAAA,ICAA;A,EDAA' };
  assert.deepEqual(Object.fromEntries(charactersBySource(code, map)), { 'a.js': 7, 'b.js': 6, '(unmapped)': 2 });
});

test('a line without mappings is unmapped', () => {
  assert.deepEqual(Object.fromEntries(charactersBySource('abc\nde', { sources: ['a.js'], mappings: 'AAAA' })), { 'a.js': 3, '(unmapped)': 2 });
});

test('groups sources by package, by what Next.js precompiled, and by our folders', () => {
  const cases: [string, string][] = [
    ['turbopack:///[project]/node_modules/zod/v4/core/core.js', 'zod'],
    ['turbopack:///[project]/node_modules/@socket.io/component-emitter/lib/esm/index.js', '@socket.io/component-emitter'],
    ['turbopack:///[project]/node_modules/markdown-it/node_modules/punycode.js/punycode.es6.js', 'punycode.js'],
    ['turbopack:///[project]/node_modules/next/dist/compiled/react-dom/cjs/react-dom-client.production.js', 'react-dom'],
    ['turbopack:///[project]/node_modules/next/src/client/app-index.tsx', 'next'],
    ['turbopack:///[project]/app/components/live/LiveThread.tsx', 'app/components'],
    ['turbopack:///[project]/lib/contract/api.ts', 'lib/contract'],
    ['turbopack:///[turbopack]/browser/runtime/base/runtime-base.ts', '[turbopack]'],
    ['https://raw.githubusercontent.com/fb55/entities/61afd47/src/decode.ts', 'entities'],
    ['../../node_modules/react-dom/cjs/react-dom-client.production.js', 'react-dom'],
    ['../../app/components/live/CommentItem.tsx', 'app/components'],
  ];
  for (const [source, group] of cases) assert.equal(sourceGroup(source), group, source);
});

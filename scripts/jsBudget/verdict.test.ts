import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PageBudget } from './budgets';
import { judgePage } from './verdict';

const budget: PageBudget = { name: 'article page', path: (slug) => `/articles/${slug}`, gzipBytes: 150_000 };
const script = (name: string, gzipBytes: number) => ({ url: `http://127.0.0.1:3000/_next/static/chunks/${name}.js`, rawBytes: gzipBytes * 3, gzipBytes });

test('a page within its budget passes and says by how much it weighs', () => {
  const verdict = judgePage(budget, { url: 'http://127.0.0.1:3000/articles/a', scripts: [script('a', 100_000), script('b', 50_000)], inlineBytes: 0 });
  assert.equal(verdict.withinBudget, true);
  assert.equal(verdict.gzipBytes, 150_000);
  assert.equal(verdict.rawBytes, 450_000);
  assert.match(verdict.lines[0]!, /^✓ article page: 150\.0 KB gzipped of script \(450\.0 KB raw, 2 files\), within its budget of 150\.0 KB$/);
});

test('a page over its budget fails, naming the page, its size, the budget and its biggest files first', () => {
  const scripts = [script('small', 1_000), script('big', 120_000), script('middle', 30_000)];
  const verdict = judgePage(budget, { url: 'http://127.0.0.1:3000/articles/a', scripts, inlineBytes: 2_000 });
  assert.equal(verdict.withinBudget, false);
  assert.match(verdict.lines[0]!, /^✗ article page \(http:\/\/127\.0\.0\.1:3000\/articles\/a\): 151\.0 KB gzipped .* over its budget of 150\.0 KB by 1\.0 KB$/);
  const files = verdict.lines.filter((l) => l.includes('/_next/static/chunks/'));
  assert.deepEqual(
    files.map((l) => /chunks\/(\w+)\.js/.exec(l)![1]),
    ['big', 'middle', 'small'],
  );
});

test('a page with no script at all is within any budget, and says so', () => {
  const verdict = judgePage(budget, { url: 'http://127.0.0.1:3000/articles/a', scripts: [], inlineBytes: 0 });
  assert.equal(verdict.withinBudget, true);
  assert.ok(verdict.lines.includes('  no script at all'));
});

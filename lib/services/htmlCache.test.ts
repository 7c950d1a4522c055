import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderCommentHtml } from '../domain/markdown';
import { createHtmlCache, ENTRY_OVERHEAD_CHARS } from './htmlCache';

const cost = (body: string) => body.length + renderCommentHtml(body).length + ENTRY_OVERHEAD_CHARS;

test('the cache gives what rendering gives, and keeps within its budget, oldest use out first', () => {
  const bodies = ['**one**', 'two <b>', '[x](javascript:alert(1))'];
  const cache = createHtmlCache({ budgetChars: bodies.reduce((sum, b) => sum + cost(b), 0) });
  for (const body of bodies) assert.equal(cache.render(body), renderCommentHtml(body));
  assert.equal(cache.size, 3);
  cache.render('**one**'); // now the most recently used
  cache.render('a body of twenty chars'); // over budget: the least recently used go
  assert.ok(cache.size < 4);
  assert.ok(cache.usedChars <= cache.budgetChars);
  assert.equal(cache.render('**one**'), renderCommentHtml('**one**'));
  assert.equal(cache.render('x'.repeat(1000)), renderCommentHtml('x'.repeat(1000)), 'an entry over the whole budget is rendered, not kept');
  assert.ok(cache.usedChars <= cache.budgetChars);
});

test('many tiny bodies are bounded too: each entry counts its overhead, not only its text', () => {
  const cache = createHtmlCache({ budgetChars: 100 * (ENTRY_OVERHEAD_CHARS + 20) });
  for (let i = 0; i < 10_000; i += 1) cache.render(String(i));
  assert.ok(cache.usedChars <= cache.budgetChars, `${cache.usedChars} > ${cache.budgetChars}`);
  // However small the bodies, entries never outnumber budget ÷ overhead.
  assert.ok(cache.size <= cache.budgetChars / ENTRY_OVERHEAD_CHARS, `${cache.size} entries kept`);
});

test("the same text with other mentions is another entry: a cached rendering never shows another comment's links", () => {
  const cache = createHtmlCache();
  const body = 'thanks @Ann';
  const plain = cache.render(body);
  const linked = cache.render(body, [{ id: 'u1', name: 'Ann' }]);
  const other = cache.render(body, [{ id: 'u2', name: 'Ann' }]);
  assert.equal(plain, '<p>thanks @Ann</p>\n');
  assert.match(linked, /href="\/people\/u1"/);
  assert.match(other, /href="\/people\/u2"/);
  assert.equal(cache.render(body, []), plain, 'no mentions is the plain entry');
  assert.equal(cache.render(body, [{ id: 'u1', name: 'Ann' }]), linked);
  assert.equal(cache.size, 3);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderCommentHtml } from '../domain/markdown';
import { createHtmlCache } from './htmlCache';

test('the cache gives what rendering gives, and keeps within its budget, oldest use out first', () => {
  const cache = createHtmlCache({ budgetChars: 40 });
  for (const body of ['**one**', 'two <b>', '[x](javascript:alert(1))']) assert.equal(cache.render(body), renderCommentHtml(body));
  assert.equal(cache.size, 3);
  cache.render('**one**'); // now the most recently used
  cache.render('a body of twenty chars'); // 22 more: over budget, the least recently used go
  assert.equal(cache.size, 2);
  assert.equal(cache.render('**one**'), renderCommentHtml('**one**'));
  assert.equal(cache.render('x'.repeat(100)), renderCommentHtml('x'.repeat(100)), 'a body over the whole budget is rendered, not kept');
  assert.ok(cache.size <= 3);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTree } from '../../lib/domain/tree';
import type { PageComment, ThreadPage } from '../../lib/services';
import { clientComments, MAX_VISIBLE_DEPTH } from './clientComments';

function comment(id: string, parentId: string | null, depth: number, extra: Partial<PageComment> = {}): PageComment {
  return { id, parentId, depth, rootId: 'c1', status: 'visible', author: { name: 'Pat' }, body: `body ${id}`, html: `<p>${id}</p>`, createdAt: '2026-11-27T06:00:00.000Z', editedAt: null, seq: depth, locked: false, pinned: false, likes: 0, mine: false, ...extra };
}

/** One chain c1 → c2 → … deeper than the page shows. */
function chainPage(overrides: Record<string, Partial<PageComment>> = {}): ThreadPage {
  const comments = Array.from({ length: MAX_VISIBLE_DEPTH + 2 }, (_, i) => comment(`c${i + 1}`, i === 0 ? null : `c${i}`, i + 1, overrides[`c${i + 1}`]));
  return { thread: { slug: 's', title: 't', locked: false, commentCount: comments.length, seq: 9, slowModeSeconds: 0, preModeration: false, hidden: false }, articleParagraphs: [], sort: 'oldest', root: null, tree: buildTree(comments, { sort: 'oldest' }), comments, nextCursor: null };
}

test('others’ comments lose their markdown; HTML stays for what the page shows, pinned ones included', () => {
  const slim = clientComments(chainPage({ c8: { pinned: true } }));
  assert.ok(slim.every((c) => c.body === ''));
  assert.deepEqual(
    slim.map((c) => c.html !== ''),
    [true, true, true, true, true, true, false, true],
    `levels 1–${MAX_VISIBLE_DEPTH} are shown, ${MAX_VISIBLE_DEPTH + 1} is behind "Continue this thread", the pinned one is featured`,
  );
  assert.deepEqual(
    slim.map((c) => c.id),
    chainPage().comments.map((c) => c.id),
    'every comment is still there, for counts and live updates',
  );
});

test('the reader’s own comments keep their body (the edit box starts from it); a shared page is slimmed once', () => {
  const page = chainPage({ c2: { mine: true }, c7: { mine: true } });
  const slim = clientComments(page);
  assert.equal(slim[1]!.body, 'body c2');
  assert.equal(slim[6]!.html, '<p>c7</p>');
  assert.equal(clientComments(page), slim);
  assert.equal(page.comments[0]!.body, 'body c1', 'the page itself is left as it was');
});

test('below the cut, the replies on the way to one of the reader’s own keep their HTML: the page shows them there', () => {
  const slim = clientComments(chainPage({ c8: { mine: true } }));
  assert.equal(slim[6]!.body, '', 'someone else’s, on the way');
  assert.equal(slim[6]!.html, '<p>c7</p>');
  assert.equal(slim[7]!.html, '<p>c8</p>');
});

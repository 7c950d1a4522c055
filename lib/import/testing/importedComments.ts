import assert from 'node:assert/strict';
import type { Comment } from '../../domain/types';
import type { Store } from '../../store/store';

/** The comments of the thread with this slug, which must exist (the import suites' common read). */
export async function commentsOf(store: Store, slug: string): Promise<Comment[]> {
  const thread = await store.findThreadRowBySlug(slug);
  assert.ok(thread, `thread ${slug}`);
  return store.listComments({ threadId: thread.id });
}

/** The comment of `comments` by the author of this name, which must be there. */
export function byAuthor(comments: Comment[], name: string): Comment {
  const found = comments.find((c) => c.authorName === name);
  assert.ok(found, `comment by ${name}`);
  return found;
}

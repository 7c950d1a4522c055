import { notFound } from 'next/navigation';
import { SortSchema, type Sort, type ThreadDetail } from '../../lib/contract/api';
import { AppError } from '../../lib/domain/errors';
import { getServices } from '../../lib/services/registry';
import type { ThreadPage } from '../../lib/services';
import { viewerStaff } from './viewer';

/** A hidden thread is read by staff only; for anyone else it is the 404 page, as a slug no thread has. */
const reader = { seesHidden: async () => (await viewerStaff()) !== null };

/** `?sort=` from the URL; anything unexpected falls back to the default order. */
export function sortFrom(value: string | string[] | undefined): Sort {
  const parsed = SortSchema.safeParse(Array.isArray(value) ? value[0] : value);
  return parsed.success ? parsed.data : 'oldest';
}

/** The thread without its comments, for a page's metadata; an unknown slug is the 404 page. */
export async function loadThreadDetail(slug: string): Promise<ThreadDetail> {
  try {
    return await getServices().threads.getThreadDetail({ slug, ...reader });
  } catch (err) {
    if (AppError.is(err) && err.code === 'thread_not_found') notFound();
    throw err;
  }
}

/** Loads a page of the thread, turning an unknown slug or comment into the 404 page. */
export async function loadThreadPage(request: { slug: string; sort?: Sort; rootId?: string; viewerGuestId?: string | null; after?: string; until?: string }): Promise<ThreadPage> {
  try {
    return await getServices().threads.getThreadPage({ ...request, ...reader });
  } catch (err) {
    if (AppError.is(err) && (err.code === 'thread_not_found' || err.code === 'comment_not_found')) notFound();
    throw err;
  }
}

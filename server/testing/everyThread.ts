import type { ThreadService } from '../../lib/services/threadService';

/** Every thread the public list shows, walked page by page (the list is paged: issue 14.3). */
export async function everyThread(threads: ThreadService): Promise<Awaited<ReturnType<ThreadService['listThreads']>>['threads']> {
  const all = [];
  for (let after: string | undefined; ; ) {
    const page = await threads.listThreads({ limit: 100, ...(after !== undefined && { after }) });
    all.push(...page.threads);
    if (page.next === null) return all;
    after = page.next;
  }
}

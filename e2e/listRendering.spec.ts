import type { Page } from '@playwright/test';
import { CommentResponseSchema } from '../lib/contract';
import { expect, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { createSyntheticThread, startServer, type ServerProcess } from './serverProcess';

/**
 * Issue 13 (a reader of a 1,962-comment thread): a change re-renders the comments it changes,
 * not the whole thread. Each More comments page, live reply, like and move of focus used to
 * re-render every comment on the page, which past ~1,500 comments took seconds. Which comments
 * React rendered is read from its developer-tools hook (installed before the page's scripts,
 * as the React DevTools extension does); bench/longThread times the same actions.
 */

declare global {
  interface Window {
    /** Ids of the comments React rendered, one entry per render, since the last reset. */
    __commentRenders: string[];
  }
}

/**
 * Records, at every React commit, the comments whose component rendered in it: the component
 * directly above each `article.comment` that is not the very fiber the last commit had (a
 * subtree React skipped keeps its fibers) and did work (React's PerformedWork flag, 1).
 */
function countCommentRenders() {
  window.__commentRenders = [];
  let previous = new WeakSet<object>();
  type Fiber = { tag: number; type: unknown; flags: number; memoizedProps: Record<string, unknown> | null; return: Fiber | null; child: Fiber | null; sibling: Fiber | null };
  const isComment = (f: Fiber) => f.type === 'article' && typeof f.memoizedProps?.className === 'string' && f.memoizedProps.className.split(' ').includes('comment');
  (window as unknown as Record<string, unknown>).__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    renderers: new Map(),
    inject: () => 1,
    checkDCE: () => undefined,
    onCommitFiberUnmount: () => undefined,
    onPostCommitFiberRoot: () => undefined,
    onCommitFiberRoot: (_renderer: number, root: { current: Fiber }) => {
      const seen = new WeakSet<object>();
      const stack: Fiber[] = [root.current];
      while (stack.length > 0) {
        const fiber = stack.pop()!;
        seen.add(fiber);
        const owner = fiber.return;
        if (isComment(fiber) && owner && !previous.has(owner) && (owner.flags & 1) === 1) window.__commentRenders.push(String(fiber.memoizedProps!['data-comment-id']));
        if (fiber.child) stack.push(fiber.child);
        if (fiber.sibling) stack.push(fiber.sibling);
      }
      previous = seen;
    },
  };
}

test.describe('a long thread re-renders only what changed', () => {
  let server: ServerProcess;
  let slug: string;

  test.beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
    slug = createSyntheticThread(server, { comments: 600, depth: 6, seed: 7 });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  /** The comments rendered while `act` runs and until `done` holds (distinct ids). */
  async function renderedDuring(page: Page, act: () => Promise<void>, done: () => Promise<void>): Promise<string[]> {
    await page.evaluate(() => (window.__commentRenders = []));
    await act();
    await done();
    return [...new Set(await page.evaluate(() => window.__commentRenders))].sort();
  }

  /** A comment's id and those of the comments above it. */
  const withAncestors = (page: Page, id: string) =>
    page.locator(`article.comment[data-comment-id="${id}"]`).evaluate((el) => {
      const ids: string[] = [];
      for (let at: Element | null = el; at; at = at.parentElement?.closest('article.comment') ?? null) ids.push(at.getAttribute('data-comment-id')!);
      return ids.sort();
    });
  const ids = (page: Page) => page.locator('article.comment').evaluateAll((els) => els.map((el) => el.getAttribute('data-comment-id')!));
  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.closest('article.comment')?.getAttribute('data-comment-id') ?? null);

  test('a like, a live reply, j and a page of More comments re-render the comments they change, not the thread around them', async ({ browser, openReader }) => {
    const context = await browser.newContext();
    await context.addInitScript(countCommentRenders);
    const page = await context.newPage();
    const reader = new ArticlePage(page);
    await reader.goto(server.baseUrl, slug);
    await expect(page.locator('.connection')).toHaveText(/Live/);
    const before = await ids(page);
    expect(before.length).toBeGreaterThan(100);
    const other = await openReader(`${server.baseUrl}/articles/${slug}`);
    const inOther = (id: string) => other.locator(`article.comment[data-comment-id="${id}"]`);

    // Someone likes a reply two levels down: it and the comments above it change, their hundreds of neighbours do not.
    const deep = (await page.locator('article.comment-visible[data-depth="3"]').first().getAttribute('data-comment-id'))!;
    const like = page.locator(`article[data-comment-id="${deep}"] > details > .comment-actions .like-button`);
    const likes = Number(await like.getAttribute('data-likes'));
    const liked = await renderedDuring(
      page,
      () => inOther(deep).locator(':scope > details > .comment-actions .like-button').click(),
      () => expect(like).toHaveAttribute('data-likes', String(likes + 1)),
    );
    expect(liked).toEqual(await withAncestors(page, deep));

    // Someone replies to the first branch: it gets the reply (and says someone is writing); nothing else changes.
    const branch = before[0]!;
    const replied = await renderedDuring(
      page,
      async () => {
        await inOther(branch).locator(':scope > details > .comment-actions').getByRole('link', { name: 'Reply' }).click();
        const form = inOther(branch).locator(':scope > details > form.comment-form');
        await form.getByLabel('Your name').fill('Ines');
        await form.getByLabel('Your reply').fill('A reply that should not re-render the thread');
        await form.getByRole('button', { name: /Post/ }).click();
      },
      // Until its arrival's highlight has gone: that is the last change it makes.
      async () => {
        await expect(reader.comment('A reply that should not re-render the thread')).toBeVisible();
        await expect(reader.comment('A reply that should not re-render the thread')).not.toHaveClass(/comment-fresh/);
      },
    );
    const reply = (await reader.comment('A reply that should not re-render the thread').getAttribute('data-comment-id'))!;
    expect(replied).toEqual([branch, reply].sort());

    // j moves the keyboard's place: the comment it leaves and the one it reaches, no other.
    await reader.title.click();
    await page.keyboard.press('j');
    const from = await focusedId(page);
    expect(from).not.toBeNull();
    const stepped = await renderedDuring(
      page,
      () => page.keyboard.press('j'),
      async () => expect.poll(() => focusedId(page)).not.toBe(from),
    );
    expect(stepped).toEqual([from!, (await focusedId(page))!].sort());

    // More comments: the comments it brings render; of those already there, only the keyboard's place, which moves to the first of them.
    const place = (await focusedId(page))!;
    const shown = await ids(page);
    const more = page.getByRole('button', { name: 'More comments' });
    await more.focus();
    const paged = await renderedDuring(
      page,
      () => more.press('Enter'),
      // Done once focus is on the first comment it brought.
      async () => expect.poll(async () => { const id = await focusedId(page); return id !== null && !shown.includes(id); }).toBe(true),
    );
    const arrived = (await ids(page)).filter((id) => !shown.includes(id));
    expect(arrived.length).toBeGreaterThan(50);
    expect(paged).toEqual([...arrived, place].sort());
  });

  test('the clock’s tick re-renders no comment: only the times whose words change', async ({ browser }) => {
    // Posted just before the page opens, newest first: its "just now" changes with the next tick; the thread's hours-old times do not.
    const body = 'Posted a moment before the page opened';
    const posted = await fetch(`${server.baseUrl}/api/threads/${slug}/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body, authorName: 'Quick' }) });
    expect(posted.status).toBe(201);
    const createdAt = Date.parse(CommentResponseSchema.parse(await posted.json()).comment.createdAt!);
    const context = await browser.newContext();
    await context.addInitScript(countCommentRenders);
    const page = await context.newPage();
    // The page's clock ticks every 15 s: a fake one brings the tick when the test says, 40 s after the post ("just now" for 45 s).
    await page.clock.install({ time: createdAt + 40_000 });
    const reader = new ArticlePage(page);
    await reader.goto(server.baseUrl, slug, '?sort=newest');
    await expect(page.locator('.connection')).toHaveText(/Live/);
    // What going live changed reaches the comments a few per task (lib/client/viewStore.ts), on timers this fake clock
    // holds until it runs: let those run first (a millisecond: the post stays "just now"), so only the tick is measured.
    await expect
      .poll(async () => {
        await page.evaluate(() => (window.__commentRenders = []));
        await page.clock.runFor(1);
        // A few tasks of React's own scheduler (a MessageChannel, which the fake clock leaves alone) to render what they asked.
        await page.evaluate(async () => {
          for (let i = 0; i < 5; i++) {
            await new Promise<void>((resolve) => {
              const channel = new MessageChannel();
              channel.port1.onmessage = () => resolve();
              channel.port2.postMessage(null);
            });
          }
        });
        return page.evaluate(() => window.__commentRenders.length);
      })
      .toBe(0);
    const time = reader.comment(body).locator(':scope > details > summary time');
    const words = await time.textContent();

    const ticked = await renderedDuring(
      page,
      () => page.clock.runFor(15_000),
      () => expect(time).not.toHaveText(words!),
    );
    expect(ticked).toEqual([]);
  });
});

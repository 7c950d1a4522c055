import type { Browser, BrowserContext, FrameLocator, Locator, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { E2E_EMBED_SECRET, embedded, startHost, type Host } from './embedHost';
import { postComment, postOverApi } from './fixtures';
import { startServer, type ServerProcess } from './serverProcess';

/**
 * Issue 13, the embed as its readers meet it on a newsroom's page: their place
 * kept while the discussion grows above them (13.6), only the controls that
 * will work when the browser keeps no identity in the frame (13.7), and the
 * frame drawn in the host page's actual colours (13.16d). Threadline listens on
 * 127.0.0.1:<port>; the host page (e2e/embedHost.ts) on 127.0.0.1:<another
 * port> (the same site) and localhost:<that port> (another site).
 */

let threadline: ServerProcess;
let host: Host;
let n = 0;
const freshSlug = () => `reader-story-${++n}`;
const sameSiteUrl = (slug: string, query = '') => `http://127.0.0.1:${host.port}/story/${slug}${query}`;
const crossSiteUrl = (slug: string) => `http://localhost:${host.port}/story/${slug}`;

test.beforeAll(async () => {
  host = await startHost(() => threadline.baseUrl, { embedSecret: E2E_EMBED_SECRET });
  threadline = await startServer({ env: { EMBED_ORIGINS: `http://127.0.0.1:${host.port},http://localhost:${host.port}`, EMBED_SECRET: E2E_EMBED_SECRET } });
});

test.afterAll(async () => {
  await threadline?.stop();
  await host?.close();
});

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function newContext(browser: Browser, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ colorScheme: options.colorScheme ?? 'light' });
  contexts.push(context);
  return context;
}

/** A reader on the host page, once the embed in it is live. */
async function openHost(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await expect(embedded(page).locator('.connection')).toHaveText(/Live/);
  return page;
}

const post = async (slug: string, body: string): Promise<void> => void (await postOverApi(threadline.baseUrl, slug, { body }));

/** The comment in the frame whose own text (not its replies') holds `text`. */
function commentIn(frame: FrameLocator, text: string): Locator {
  return frame.locator('article.comment').filter({ has: frame.locator(':scope > details > .comment-body', { hasText: text }) });
}

/** Where the top of an element is on the reader's screen (host page viewport), in CSS pixels. */
async function screenY(element: Locator): Promise<number> {
  const box = await element.boundingBox();
  if (!box) throw new Error('not on the page');
  return box.y;
}

/** Where the element is on screen once scrolling has come to rest (a wheel may scroll smoothly). */
async function restingScreenY(element: Locator): Promise<number> {
  let last = Number.NaN;
  await expect
    .poll(
      async () => {
        const y = await screenY(element);
        const still = y === last;
        last = y;
        return still;
      },
      { intervals: [100] },
    )
    .toBe(true);
  return last;
}

/** Waits until the element is back at `y` on screen (a pixel of rounding allowed). */
async function expectStill(element: Locator, y: number): Promise<void> {
  await expect.poll(async () => Math.abs((await screenY(element)) - y), { message: 'moved on screen' }).toBeLessThanOrEqual(1);
}

/** A reader on the host page of a new thread whose discussion (ten comments) is much taller than their screen. */
async function openLongDiscussion(context: BrowserContext, slug: string): Promise<Page> {
  // The first view opens the thread; the reader comes back once it has filled up.
  await openHost(context, sameSiteUrl(slug));
  for (let i = 1; i <= 10; i++) await post(slug, `Story comment ${i}: a thought long enough to be read for a moment,\n\nwith a second paragraph to make the discussion long.`);
  const reader = await openHost(context, sameSiteUrl(slug));
  await expect(commentIn(embedded(reader), 'Story comment 10')).toBeVisible();
  return reader;
}

/** Scrolls the host page with the wheel until `element` is near the top of the screen, and waits for it to rest. */
async function readAt(reader: Page, element: Locator): Promise<void> {
  await reader.mouse.move(640, 360);
  await reader.mouse.wheel(0, (await screenY(element)) - 100);
  await expect.poll(() => screenY(element)).toBeLessThan(200);
  await restingScreenY(element);
}

/** `control` is on the reader's screen, and takes them to `comment`: the host page scrolls to it, and it holds focus. */
async function takesTo(control: Locator, comment: Locator): Promise<void> {
  await expect(control).toBeInViewport();
  await control.click();
  await expect(comment).toBeInViewport();
  await expect(comment).toBeFocused();
}

/** Someone else, on the thread's article page on Threadline itself. */
async function openWriter(browser: Browser, slug: string): Promise<Page> {
  const writer = await (await newContext(browser)).newPage();
  await writer.goto(`${threadline.baseUrl}/articles/${slug}`);
  await expect(writer.locator('.connection')).toHaveText(/Live/);
  return writer;
}

test.describe('issue 13: the embed as its readers meet it', () => {
  test('13.6 live replies above the comment being read move neither it nor the host page below the frame', async ({ browser }) => {
    const slug = freshSlug();
    const readerContext = await newContext(browser);
    // The first view opens the thread; then the discussion fills up and the reader comes back to it.
    await openHost(readerContext, sameSiteUrl(slug));
    for (let i = 1; i <= 8; i++) await post(slug, `Comment number ${i}: a thought long enough to be read for a moment before scrolling on.`);
    const reader = await openHost(readerContext, sameSiteUrl(slug));
    const frame = embedded(reader);
    const reading = commentIn(frame, 'Comment number 7');
    const related = reader.getByRole('heading', { name: 'Related articles' });
    await expect(commentIn(frame, 'Comment number 8')).toBeVisible();

    // The reader scrolls the host page until comment 7 is near the top of the screen; the host's
    // "Related articles" under the frame is in view too.
    const y7 = await screenY(reading);
    await reader.mouse.move(640, 360);
    await reader.mouse.wheel(0, y7 - 150);
    await expect.poll(() => screenY(reading)).toBeLessThan(200);
    const readingAt = await restingScreenY(reading);
    const relatedAt = await restingScreenY(related);
    expect(relatedAt).toBeLessThan(reader.viewportSize()!.height);

    // Someone else replies to comment 1, far above, on the article page: the replies (and "Someone is
    // replying…" while they type) arrive in the reader's frame above what the reader is looking at.
    const replier = await (await newContext(browser)).newPage();
    await replier.goto(`${threadline.baseUrl}/articles/${slug}`);
    await expect(replier.locator('.connection')).toHaveText(/Live/);
    await postComment(replier, { name: 'Ola', body: 'A first reply to comment 1, arriving live.', replyTo: 'Comment number 1' });
    await postComment(replier, { name: 'Ola', body: 'A second reply to comment 1,\n\nlong enough to take two paragraphs.', replyTo: 'Comment number 1' });
    await expect(commentIn(frame, 'A second reply to comment 1')).toBeAttached();
    await expectStill(reading, readingAt);
    await expectStill(related, relatedAt);
    // When "Someone is replying…" goes, the content above shrinks: still nothing moves.
    await expect(frame.locator('.typing-notice')).toHaveCount(0);
    await expectStill(reading, readingAt);
    await expectStill(related, relatedAt);

    // The reader moves on to the host's related articles, the frame now wholly above: another reply.
    await reader.mouse.wheel(0, relatedAt - 100);
    await expect.poll(() => screenY(related)).toBeLessThan(150);
    const relatedNow = await restingScreenY(related);
    await postComment(replier, { name: 'Ola', body: 'A third reply to comment 1, while the reader is elsewhere.', replyTo: 'Comment number 1' });
    await expect(commentIn(frame, 'A third reply')).toBeAttached();
    await expect(frame.locator('.typing-notice')).toHaveCount(0);
    await expectStill(related, relatedNow);
  });

  test('13.7 in a cross-site embed that keeps no identity, a reader is offered only what works, told once why, and keeps their name', async ({ browser }) => {
    const slug = freshSlug();
    const context = await newContext(browser);
    const page = await openHost(context, crossSiteUrl(slug));
    // The test browser, like a browser that blocks third-party cookies and site data, gives the
    // frame (Threadline's origin under another site's page) no lasting cookie, and no storage either.
    const storage = await page.frame({ url: /\/embed\// })!.evaluate(() => {
      try {
        return typeof window.localStorage;
      } catch (err) {
        return (err as Error).name;
      }
    });
    expect(storage).toBe('SecurityError');
    await post(slug, 'Wire: the council voted on the bridge tonight.');
    const frame = embedded(page);
    await frame.getByRole('button', { name: '1 new comment' }).click();

    // One plain sentence says what this browser means for the reader, before they write anything.
    const note = frame.getByText("Your browser doesn't let this discussion remember you here");
    await expect(note).toHaveCount(1);
    await expect(note).toBeVisible();

    const form = frame.locator('form#comment-form');
    await form.getByLabel('Your name').fill('Kai');
    await form.getByLabel('Your comment').fill('Written in a frame that forgets me.');
    await form.getByRole('button', { name: /Post/ }).click();
    const mine = commentIn(frame, 'Written in a frame that forgets me.');
    await expect(mine.locator('.badge-mine')).toHaveText('you');
    // Edit and Delete would be refused ("Only the author can change this comment"): not offered.
    const actions = mine.locator(':scope > details > .comment-actions');
    await expect(actions.getByRole('link', { name: 'Reply' })).toBeVisible();
    await expect(actions.getByRole('button', { name: 'Edit' })).toHaveCount(0);
    await expect(actions.getByRole('button', { name: 'Delete' })).toHaveCount(0);
    await expect(note).toHaveCount(1);

    // The name typed once is remembered while the page is open, although the frame may store nothing.
    const wire = commentIn(frame, 'Wire: the council voted');
    await wire.locator(':scope > details > .comment-actions').getByRole('link', { name: 'Reply' }).click();
    const reply = wire.locator(':scope > details > form.comment-form');
    await expect(reply.getByLabel('Your name')).toHaveValue('Kai');
    await reply.getByLabel('Your reply').fill('And a reply, under the same name.');
    await reply.getByRole('button', { name: /Post/ }).click();
    const myReply = commentIn(frame, 'And a reply, under the same name.');
    await expect(myReply.locator(':scope > details > summary .comment-author')).toHaveText('Kai');
    await expect(myReply.locator(':scope > details > .comment-actions').getByRole('button', { name: 'Edit' })).toHaveCount(0);
    await expect(form.getByLabel('Your name')).toHaveValue('Kai');
    await expect(note).toHaveCount(1);

    // Where the identity lasts (a host on the same site), nothing changes: no note, Edit and Delete offered.
    const lasting = await openHost(await newContext(browser), sameSiteUrl(slug));
    const lastingForm = embedded(lasting).locator('form#comment-form');
    await lastingForm.getByLabel('Your name').fill('Hana');
    await lastingForm.getByLabel('Your comment').fill('Written where I am remembered.');
    await lastingForm.getByRole('button', { name: /Post/ }).click();
    const hers = commentIn(embedded(lasting), 'Written where I am remembered.').locator(':scope > details > .comment-actions');
    await expect(hers.getByRole('button', { name: 'Edit' })).toBeVisible();
    await expect(hers.getByRole('button', { name: 'Delete' })).toBeVisible();
    await expect(embedded(lasting).getByText("Your browser doesn't let this discussion remember you here")).toHaveCount(0);
  });

  test('13.8 the arrivals pill shows at the top of the part of the frame on screen and takes the reader to what arrived on the host page', async ({ browser }) => {
    const slug = freshSlug();
    const readerContext = await newContext(browser);
    const reader = await openLongDiscussion(readerContext, slug);
    const frame = embedded(reader);

    // Half-way down the discussion: the frame's top (and the pill's place in it) is far above the screen.
    const middle = commentIn(frame, 'Story comment 5');
    await readAt(reader, middle);
    await expect(frame.locator('#comments-heading')).not.toBeInViewport();

    // The connection goes: the reader is told where they are reading.
    await readerContext.setOffline(true);
    const status = frame.locator('.arrivals-status');
    await expect(status).toHaveText(/^Offline/);
    await expect(status).toBeInViewport();

    // Meanwhile someone replies to the first comment, far above.
    const writer = await openWriter(browser, slug);
    await postComment(writer, { name: 'Ola', body: 'A reply the reader missed while offline.', replyTo: 'Story comment 1:' });

    await readerContext.setOffline(false);
    const back = frame.getByRole('button', { name: 'Back — 1 new comment' });
    // The host page scrolls up to it (the frame never scrolls itself), and it holds the keyboard's place.
    await takesTo(back, commentIn(frame, 'A reply the reader missed'));
    await expect(back).toHaveCount(0);

    // Back to the middle; a new top-level comment arrives at the end of the discussion.
    await readAt(reader, middle);
    await postComment(writer, { name: 'Ola', body: 'Breaking: the last word on the story.' });
    await takesTo(frame.getByRole('button', { name: '1 new comment' }), commentIn(frame, 'Breaking: the last word'));
  });

  test('13.8 a reply to the reader shows at the bottom of the part of the frame on screen, and View takes them to it', async ({ browser }) => {
    const slug = freshSlug();
    const reader = await openLongDiscussion(await newContext(browser), slug);
    const frame = embedded(reader);

    // The reader answers the first comment, then reads on, far below it: neither the frame's top nor its end on screen.
    const early = commentIn(frame, 'Story comment 1:');
    await early.locator(':scope > details > .comment-actions').getByRole('link', { name: 'Reply' }).click();
    const form = early.locator(':scope > details > form.comment-form');
    await form.getByLabel('Your name').fill('Rita');
    await form.getByLabel('Your reply').fill('Rita answers the first comment.');
    await form.getByRole('button', { name: /Post/ }).click();
    await expect(commentIn(frame, 'Rita answers')).not.toHaveClass(/comment-sending/);
    await readAt(reader, commentIn(frame, 'Story comment 5'));
    await expect(commentIn(frame, 'Story comment 10')).not.toBeInViewport();

    const writer = await openWriter(browser, slug);
    await postComment(writer, { name: 'Ola', body: 'Ola answers Rita.', replyTo: 'Rita answers the first comment.' });

    const notice = frame.getByRole('region', { name: 'Replies to your comments' });
    await expect(notice).toContainText('Ola replied to your comment.');
    await takesTo(notice.getByRole('link', { name: /View/ }), commentIn(frame, 'Ola answers Rita.'));
  });

  test("13.16d the embed follows the host page's actual background when the host declares no colour scheme", async ({ browser }) => {
    const slug = freshSlug();
    // A reader in dark mode on a plain white site (no color-scheme): the discussion is light, like the page.
    const dark = await openHost(await newContext(browser, { colorScheme: 'dark' }), sameSiteUrl(slug));
    await expect(embedded(dark).locator('html')).toHaveClass(/\btheme-light\b/);
    await expect(embedded(dark).locator('body')).toHaveCSS('background-color', 'rgb(251, 250, 247)');

    // A reader in light mode on a dark site that says nothing: the discussion is dark.
    const light = await openHost(await newContext(browser, { colorScheme: 'light' }), sameSiteUrl(slug, '?background=%23121212'));
    await expect(embedded(light).locator('html')).toHaveClass(/\btheme-dark\b/);
    await expect(embedded(light).locator('body')).toHaveCSS('background-color', 'rgb(20, 20, 20)');

    // The site switches its own look (its background, by a class or style): the discussion follows.
    await light.evaluate(() => (document.documentElement.style.background = '#ffffff'));
    await expect(embedded(light).locator('html')).toHaveClass(/\btheme-light\b/);
    await expect(embedded(light).locator('body')).toHaveCSS('background-color', 'rgb(251, 250, 247)');
  });
});

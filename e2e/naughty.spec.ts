import type { Browser, Page } from '@playwright/test';
import { BODY_MAX, CommentResponseSchema, ErrorResponseSchema, ThreadResponseSchema, type CommentView } from '../lib/contract';
import { NAUGHTY, refusedAsBody, refusedAsName, storedBody, storedName } from '../server/testing/naughtyStrings';
import { expect, test } from './fixtures';
import { ArticlePage } from './pages/ArticlePage';
import { createThread, startServer, type ServerProcess } from './serverProcess';

/**
 * The whole Big List of Naughty Strings (and probes of our own that would set
 * `window.__xss` or change the title) posted as bodies and as names, then shown
 * in Chromium: server-rendered, and arriving live. Nothing may run (no dialog,
 * no side effect), and each string must be shown as the text it is.
 */

type Field = 'body' | 'authorName';

interface Posted {
  /** Accepted strings as the server stored them, by comment id. */
  accepted: Map<string, { stored: string; view: CommentView }>;
  refused: number;
}

/** Posts every naughty string into `slug`, in `field`, through the API; the other field gets a plain value. */
async function postCorpus(server: ServerProcess, slug: string, field: Field): Promise<Posted> {
  const accepted: Posted['accepted'] = new Map();
  let refused = 0;
  let i = 0;
  for (const s of NAUGHTY) {
    const json = field === 'body' ? { body: s, authorName: 'Naughty' } : { body: `name probe ${i++}`, authorName: s };
    const res = await fetch(`${server.baseUrl}/api/threads/${slug}/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
    const payload: unknown = await res.json();
    if (field === 'body' ? refusedAsBody(s) : refusedAsName(s)) {
      expect(res.status, JSON.stringify(s)).toBe(400);
      expect(ErrorResponseSchema.parse(payload).error.fields?.[field]?.length, JSON.stringify(s)).toBeGreaterThan(0);
      refused++;
      continue;
    }
    expect(res.status, `${JSON.stringify(s)}: ${JSON.stringify(payload)}`).toBe(201);
    const { comment } = CommentResponseSchema.parse(payload);
    accepted.set(comment.id, { stored: field === 'body' ? storedBody(s) : storedName(s), view: comment });
  }
  return { accepted, refused };
}

/** Everything a script in a comment could do that a test can see. */
interface Guarded {
  page: Page;
  dialogs: string[];
  errors: string[];
}

/** A page whose every dialog is recorded (and dismissed) and whose globals are watched from before the first byte. */
async function guardedPage(browser: Browser, options: { javaScriptEnabled?: boolean } = {}): Promise<Guarded> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (err) => errors.push(err.message));
  await page.addInitScript(() => {
    // Any of these being touched means a comment's script ran.
    const w = window as unknown as Record<string, unknown>;
    w.__xssEvents = [] as string[];
    for (const name of ['alert', 'confirm', 'prompt', 'print']) {
      const original = w[name] as (...args: unknown[]) => unknown;
      w[name] = (...args: unknown[]) => {
        (w.__xssEvents as string[]).push(`${name}(${args.map(String).join(', ')})`);
        return original.apply(window, args);
      };
    }
  });
  return { page, dialogs, errors };
}

/** No dialog, no global set, the title as the server wrote it, and no active element inside any comment. */
async function expectNothingRan(guarded: Guarded, title: string): Promise<void> {
  const { page } = guarded;
  const state = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    const active = [...document.querySelectorAll('.comment-body *, .comment-author *, .featured-comment *')].filter(
      (el) => /^(SCRIPT|IMG|IFRAME|OBJECT|EMBED|SVG|STYLE|FORM|INPUT|DETAILS|MATH|VIDEO|AUDIO)$/i.test(el.tagName) || [...el.attributes].some((a) => /^on/i.test(a.name) || /^\s*(javascript|vbscript|data):/i.test(a.value)),
    );
    return { xss: w.__xss, events: w.__xssEvents, title: document.title, active: active.map((el) => el.outerHTML.slice(0, 120)) };
  });
  expect(guarded.dialogs, 'no dialog opened').toEqual([]);
  expect(state.xss, 'window.__xss was never set').toBeUndefined();
  expect(state.events ?? [], 'alert/confirm/prompt/print were never called').toEqual([]);
  expect(state.title).toBe(title);
  expect(state.active, 'no active element or javascript: URL inside comments').toEqual([]);
}

/** What each comment shows: its author's name, its body's text, and the text of the HTML the API gave for it. */
async function shownTexts(page: Page): Promise<Map<string, { name: string; body: string }>> {
  const rows = await page.locator('article.comment').evaluateAll((articles) =>
    articles.map((a) => ({
      id: a.getAttribute('data-comment-id') ?? '',
      name: a.querySelector(':scope > details > summary .comment-author')?.textContent ?? '',
      body: a.querySelector(':scope > details > .comment-body')?.textContent ?? '',
    })),
  );
  return new Map(rows.map((r) => [r.id, { name: r.name, body: r.body }]));
}

/** The text of the API's HTML for each comment, parsed by an inert parser in the page (DOMParser runs nothing). */
async function htmlTexts(page: Page, views: CommentView[]): Promise<Map<string, string>> {
  const pairs = await page.evaluate(
    (items) => items.map(({ id, html }) => [id, new DOMParser().parseFromString(`<div>${html}</div>`, 'text/html').body.textContent ?? ''] as const),
    views.map((v) => ({ id: v.id, html: v.html })),
  );
  return new Map(pairs);
}

/** Text with no markdown syntax in it renders as itself; line layout aside. */
const isPlain = (s: string) => !/[*_`~[\]\\&]/.test(s) && !/^\s*([>#+\-=|]|\d+[.)])/m.test(s);
const squashSpace = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Every accepted string is shown as its text: names exactly, bodies as the API rendered them (and as written, when plain). */
async function expectShownExactly(page: Page, field: Field, posted: Posted, shownOnPages?: Map<string, { name: string; body: string }>): Promise<void> {
  const shown = shownOnPages ?? (await shownTexts(page));
  const fromHtml = field === 'body' ? await htmlTexts(page, [...posted.accepted.values()].map((a) => a.view)) : new Map<string, string>();
  let plain = 0;
  for (const [id, { stored }] of posted.accepted) {
    const on = shown.get(id);
    expect(on, `comment ${id} (${JSON.stringify(stored)}) is on the page`).toBeDefined();
    if (field === 'authorName') {
      expect(on!.name, `the name ${JSON.stringify(stored)}`).toBe(stored);
      continue;
    }
    expect(on!.body, `the body ${JSON.stringify(stored)}, as the API rendered it`).toBe(fromHtml.get(id));
    if (isPlain(stored)) {
      plain++;
      expect(squashSpace(on!.body), `the plain body ${JSON.stringify(stored)}, as written`).toBe(squashSpace(stored));
    }
  }
  if (field === 'body') expect(plain, 'a good part of the corpus is compared as written').toBeGreaterThan(150);
}

/** The query of every server-rendered page of the thread's branches: the first, then one per `nextCursor`. */
async function pageQueries(server: ServerProcess, slug: string): Promise<string[]> {
  const queries = [''];
  for (let cursor: string | null = null; ; ) {
    const res: Response = await fetch(`${server.baseUrl}/api/threads/${slug}${cursor ? `?after=${cursor}` : ''}`);
    cursor = ThreadResponseSchema.parse(await res.json()).nextCursor;
    if (cursor === null) return queries;
    queries.push(`?after=${cursor}`);
  }
}

/** Visits every page of the thread as the server renders it, checking each, and collects what they show. */
async function everyPage(options: { guarded: Guarded; server: ServerProcess; slug: string; title: string; live: boolean }) {
  const { guarded, server, slug } = options;
  const article = new ArticlePage(guarded.page);
  const shown = new Map<string, { name: string; body: string }>();
  for (const query of await pageQueries(server, slug)) {
    await article.goto(server.baseUrl, slug, query);
    if (options.live) await expect.soft(guarded.page.locator('.connection')).toHaveText(/Live/, { timeout: 30_000 });
    await expectNothingRan(guarded, options.title);
    for (const [id, texts] of await shownTexts(guarded.page)) shown.set(id, texts);
  }
  return shown;
}

test.describe('the naughty-strings corpus in Chromium', () => {
  // ~470 comments per thread, posted one by one and rendered twice: more than the default minute.
  test.describe.configure({ timeout: 240_000 });

  let server: ServerProcess;
  test.beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMITS: 'off', SPAM_CHECKS: 'off' } });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  for (const field of ['body', 'authorName'] as const) {
    test(`every string as the ${field}: server-rendered, nothing runs and each is shown as its text`, async ({ browser }) => {
      const title = `Naughty ${field}s, server-rendered`;
      const slug = await createThread(server, title);
      const posted = await postCorpus(server, slug, field);
      expect(posted.accepted.size + posted.refused).toBe(NAUGHTY.length);

      // Hundreds of top-level comments: the server renders them a page of branches at a time.
      const guarded = await guardedPage(browser);
      const started = Date.now();
      const shown = await everyPage({ guarded, server, slug, title: `${title} · Threadline`, live: true });
      test.info().annotations.push({ type: 'timing', description: `${posted.accepted.size} comments over every page, loaded and live, in ${Date.now() - started} ms` });
      expect.soft(shown.size).toBe(posted.accepted.size);
      await expectShownExactly(guarded.page, field, posted, shown);
      expect(guarded.errors, 'no script error on the page').toEqual([]);

      // The server's HTML alone, as a reader without JavaScript gets it, shows the same text.
      const noJs = await guardedPage(browser, { javaScriptEnabled: false });
      const shownNoJs = await everyPage({ guarded: noJs, server, slug, title: `${title} · Threadline`, live: false });
      expect(shownNoJs.size).toBe(posted.accepted.size);
      await expectShownExactly(noJs.page, field, posted, shownNoJs);
      expect(noJs.dialogs).toEqual([]);
      await guarded.page.context().close();
      await noJs.page.context().close();
    });

    test(`every string as the ${field}, arriving live on an open page: nothing runs and each is shown as its text`, async ({ browser }) => {
      const title = `Naughty ${field}s, live`;
      const slug = await createThread(server, title);
      const guarded = await guardedPage(browser);
      const article = new ArticlePage(guarded.page);
      await article.goto(server.baseUrl, slug);
      await expect(guarded.page.locator('.connection')).toHaveText(/Live/);
      const pageTitle = await guarded.page.title();

      const posted = await postCorpus(server, slug, field);
      // Comments by others wait behind a button until the reader asks for them.
      const more = guarded.page.getByRole('button', { name: `${posted.accepted.size} new comments` });
      await expect(more).toBeVisible({ timeout: 30_000 });
      await more.click();
      await expect.soft(article.comments).toHaveCount(posted.accepted.size, { timeout: 30_000 });
      await expectNothingRan(guarded, pageTitle);
      await expectShownExactly(guarded.page, field, posted);
      expect(guarded.errors, 'no script error on the page').toEqual([]);
      await guarded.page.context().close();
    });
  }

  test('a bidi override in one comment does not reverse the page around it', async ({ browser }) => {
    const slug = await createThread(server, 'Bidi isolation');
    for (const body of ['Look: \u202eesrever ni si siht', 'The comment after it']) {
      const res = await fetch(`${server.baseUrl}/api/threads/${slug}/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body, authorName: 'Rita' }) });
      expect(res.status).toBe(201);
    }
    const { page } = await guardedPage(browser);
    const article = new ArticlePage(page);
    await article.goto(server.baseUrl, slug);
    await expect(page.locator('.connection')).toHaveText(/Live/);

    /** The x of each character of an element's text, in logical order: increasing means shown left to right. */
    const xs = (selector: string) =>
      page.locator(selector).evaluate((el) => {
        const text = el.firstChild!;
        return [...(text.textContent ?? '')].map((_, i) => {
          const range = document.createRange();
          range.setStart(text, i);
          range.setEnd(text, i + 1);
          return range.getBoundingClientRect().x;
        });
      });
    const leftToRight = (positions: number[]) => positions.every((x, i) => i === 0 || x > positions[i - 1]!);

    const overridden = article.comment('Look:');
    const id = await overridden.getAttribute('data-comment-id');
    // Inside the comment the override works as written…
    expect(leftToRight(await xs(`#c-${id} > details > .comment-body > p`))).toBe(false);
    // …and stops at its edge: the Reply link, its author and the next comment read normally.
    expect(leftToRight(await xs(`#c-${id} > details > .comment-actions a.action-link`))).toBe(true);
    expect(leftToRight(await xs(`#c-${id} > details > summary .comment-author`))).toBe(true);
    const next = await article.comment('The comment after it').getAttribute('data-comment-id');
    expect(leftToRight(await xs(`#c-${next} > details > .comment-body > p`))).toBe(true);
    await page.context().close();
  });

  test('the comment box counts characters as the server does: an emoji is one', async ({ browser }) => {
    const slug = await createThread(server, 'Counting characters');
    const { page } = await guardedPage(browser);
    await new ArticlePage(page).goto(server.baseUrl, slug);
    await expect(page.locator('.connection')).toHaveText(/Live/);
    const form = page.locator('form#comment-form');
    const box = form.getByLabel('Your comment');
    await box.fill('🧵'.repeat(BODY_MAX - 10));
    await expect(form.locator('.form-count')).toHaveText('10 characters left');
    // The longest body the server takes fits in the box, though it is twice as long in UTF-16.
    await box.fill('🧵'.repeat(BODY_MAX));
    await expect(form.locator('.form-count')).toHaveText('0 characters left');
    await box.fill(`  ${'x'.repeat(BODY_MAX + 1)}  `);
    await expect(form.locator('.form-count')).toHaveText('-1 characters left');
    await page.context().close();
  });

  test('the no-JavaScript form sends a refused name back to the form, naming the field', async () => {
    const slug = await createThread(server, 'No-JS refusal');
    // As the page's plain form posts it: from this site (the browser's Origin).
    const postForm = (body: string) =>
      fetch(`${server.baseUrl}/articles/${slug}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl },
        body,
        redirect: 'manual',
      });

    const res = await postForm(new URLSearchParams({ body: 'ok', authorName: 'Ann\u202e' }).toString());
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/error=invalid_request&field=authorName/);
    const nul = await postForm('body=a%00b&authorName=Val');
    expect(nul.status).toBe(303);
    expect(nul.headers.get('location')).toMatch(/error=invalid_request&field=body/);
  });
});

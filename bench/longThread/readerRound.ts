import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CommentResponseSchema } from '../../lib/contract';

/** The in-page timer (a plain browser script, run before the app's code). */
const PROBE = fs.readFileSync(path.join(__dirname, 'pageProbe.js'), 'utf8');
const WAIT_MS = 60_000;

export interface PageLoad {
  /** Click → the page's comments in the DOM. */
  domMs: number;
  /** Click → the button ready again (or gone), focus on the first new comment, and the frame after drawn. */
  settledMs: number;
  /** Comments on the page after it. */
  comments: number;
}

/** Socket message → the change in the DOM, and → the frame after. */
export interface LiveChange {
  domMs: number;
  settledMs: number;
}

export interface ReaderTimings {
  pages: PageLoad[];
  /** `j`, once per press, with every page loaded. */
  focusMs: number[];
  reply: LiveChange;
  like: LiveChange;
}

/** Someone else on the thread: posts the live reply and gives the live like (a guest of their own, by cookie). */
export class OtherReader {
  private cookie = '';

  constructor(private readonly baseUrl: string) {}

  async reply(slug: string, parentId: string, body: string): Promise<void> {
    const res = await this.request('POST', `/api/threads/${slug}/comments`, { parentId, body, authorName: 'Bench' });
    CommentResponseSchema.parse(await res.json());
  }

  /** Likes, or takes the like back (so that the next round can like it again). */
  async like(commentId: string, liked = true): Promise<void> {
    await (await this.request(liked ? 'PUT' : 'DELETE', `/api/comments/${commentId}/like`)).arrayBuffer();
  }

  private async request(method: string, route: string, body?: unknown): Promise<Response> {
    const res = await fetch(`${this.baseUrl}${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${route}: HTTP ${res.status} ${await res.text()}`);
    const set = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
    if (set.length > 0) this.cookie = set.join('; ');
    return res;
  }
}

const probe = <T>(page: Page, call: string) => page.evaluate<T>(`window.__threadlineBench.${call}`);

/**
 * One reader, in a fresh browser context, on the long thread: every "More comments" page until
 * the thread is all there, then `j` a few times, then a reply and a like from someone else
 * arriving live (to comments on the first page, so the reader has them on screen).
 */
export async function readerRound(args: { browser: Browser; baseUrl: string; slug: string; other: OtherReader; replyTo: string; likeId: string; focusSteps: number; tag: string }): Promise<ReaderTimings> {
  const context = await args.browser.newContext();
  try {
    await context.addInitScript({ content: PROBE });
    const page = await context.newPage();
    await page.goto(`${args.baseUrl}/articles/${args.slug}`);
    await page.locator('.connection', { hasText: 'Live' }).waitFor({ timeout: WAIT_MS });

    const pages: PageLoad[] = [];
    while (await probe<boolean>(page, 'hasMore()')) pages.push(await probe<PageLoad>(page, `morePage(${WAIT_MS})`));

    const focusMs: number[] = [];
    for (let i = 0; i < args.focusSteps; i += 1) focusMs.push(await probe<number>(page, 'focusNext()'));

    const marker = `bench-${args.tag}-reply`;
    await probe(page, `armReply(${JSON.stringify(marker)}, ${WAIT_MS})`);
    await args.other.reply(args.slug, args.replyTo, `${marker}: a live reply while the whole thread is loaded`);
    const reply = await probe<LiveChange>(page, 'arrived()');

    const likes = await probe<number>(page, `likes(${JSON.stringify(args.likeId)})`);
    await probe(page, `armLike(${JSON.stringify(args.likeId)}, ${likes + 1}, ${WAIT_MS})`);
    await args.other.like(args.likeId);
    const like = await probe<LiveChange>(page, 'arrived()');

    return { pages, focusMs, reply, like };
  } finally {
    await context.close();
    await args.other.like(args.likeId, false).catch(() => undefined);
  }
}

import type { Locator, Page } from '@playwright/test';

/** The article page as a reader sees it. */
export class ArticlePage {
  readonly title: Locator;
  readonly storyParagraphs: Locator;
  readonly comments: Locator;
  readonly lockedBanner: Locator;
  readonly commentsHeading: Locator;

  constructor(readonly page: Page) {
    this.title = page.getByRole('heading', { level: 1 });
    this.storyParagraphs = page.locator('article.story .story-body > p');
    this.comments = page.locator('article.comment');
    this.lockedBanner = page.locator('.banner-locked');
    this.commentsHeading = page.locator('#comments-heading');
  }

  async goto(baseUrl: string, slug: string, query = ''): Promise<void> {
    await this.page.goto(`${baseUrl}/articles/${slug}${query}`);
  }

  /** The comment whose body starts with `text`. */
  comment(text: string): Locator {
    return this.comments.filter({ has: this.page.locator(':scope > details > .comment-body', { hasText: text }) });
  }

  topLevelComments(): Locator {
    return this.page.locator('ol.thread > li > article.comment');
  }

  replies(comment: Locator): Locator {
    return comment.locator(':scope > details > ol.replies > li > article.comment');
  }

  foldToggle(comment: Locator): Locator {
    return comment.locator(':scope > details > summary');
  }
}

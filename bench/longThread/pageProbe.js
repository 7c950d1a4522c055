// Injected into the reader's page by bench/longThread (a context's init script, before the app's
// own code): times what the reader waits for, on the page's own clock. A plain browser script
// (not compiled): functions handed to page.evaluate from tsx would carry its helpers along.
/* global window, document, performance, MutationObserver, requestAnimationFrame, MessageChannel, KeyboardEvent, CSS, setTimeout, clearTimeout */
(() => {
  /** Markers being waited for → when the first socket message holding one arrived (null: not yet). */
  const watched = new Map();
  const NativeWebSocket = window.WebSocket;
  // Listens before the app's own handler (registered first): the time is the message's arrival.
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        for (const [marker, at] of watched) if (at === null && e.data.includes(marker)) watched.set(marker, performance.now());
      });
    }
  };

  /** Resolves after the next frame has been produced (a task after its animation frame). */
  const nextFrame = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(null);
      }),
    );

  /** Resolves with the time `done()` first holds, checked after every change to the DOM. */
  const when = (done, timeoutMs, what) =>
    new Promise((resolve, reject) => {
      if (done()) return resolve(performance.now());
      const observer = new MutationObserver(() => {
        if (!done()) return;
        observer.disconnect();
        clearTimeout(timer);
        resolve(performance.now());
      });
      observer.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
    });

  const comments = () => document.getElementsByClassName('comment');
  const moreButton = () => document.querySelector('.more-comments button');
  const likeButton = (id) => document.querySelector(`article[data-comment-id="${CSS.escape(id)}"] > details > .comment-actions .like-button`);
  let pending = null;

  window.__threadlineBench = {
    /** Whether a "More comments" button is on the page. */
    hasMore: () => moreButton() !== null,

    /**
     * Presses More comments: how long until its comments are in the DOM, and until the page is
     * done with them (the button ready again or gone, focus moved to the first of them) and has
     * drawn the frame after.
     */
    async morePage(timeoutMs) {
      await when(() => moreButton() === null || moreButton().getAttribute('aria-disabled') === null, timeoutMs, 'the More comments button to be ready');
      const button = moreButton();
      const before = comments().length;
      const start = performance.now();
      button.click();
      const dom = await when(() => comments().length > before, timeoutMs, 'the next page of comments');
      await when(() => moreButton() === null || moreButton().getAttribute('aria-disabled') === null, timeoutMs, 'the More comments button to be ready again');
      const settled = await nextFrame();
      return { domMs: dom - start, settledMs: settled - start, comments: comments().length };
    },

    /** Presses `j` where focus is: how long until the frame after (focus moves at once; the page re-renders for it). */
    async focusNext() {
      const from = document.activeElement;
      const start = performance.now();
      (from ?? document.body).dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true, cancelable: true }));
      const settled = await nextFrame();
      if (document.activeElement === from) throw new Error('j did not move focus');
      return settled - start;
    },

    /** Starts waiting for a comment holding `marker` (a reply someone else is about to post). */
    armReply(marker, timeoutMs) {
      watched.set(marker, null);
      pending = when(() => Array.from(document.querySelectorAll('article.comment-fresh')).some((el) => el.textContent.includes(marker)), timeoutMs, `the reply "${marker}"`).then((dom) => ({ marker, dom }));
    },

    /** Starts waiting for comment `id`'s like count to become `likes` (someone else is about to like it). */
    armLike(id, likes, timeoutMs) {
      watched.set(id, null);
      pending = when(() => likeButton(id)?.getAttribute('data-likes') === String(likes), timeoutMs, `comment ${id} to show ${likes} likes`).then((dom) => ({ marker: id, dom }));
    },

    /** Likes shown on comment `id` now. */
    likes: (id) => Number(likeButton(id)?.getAttribute('data-likes')),

    /** What was armed, once it is on the page: from the socket message to the DOM, and to the frame after. */
    async arrived() {
      const { marker, dom } = await pending;
      const settled = await nextFrame();
      const message = watched.get(marker);
      watched.delete(marker);
      if (message === null || message === undefined) throw new Error(`no socket message carried ${marker}`);
      return { domMs: dom - message, settledMs: settled - message };
    },
  };
})();

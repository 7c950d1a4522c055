/*
 * Threadline's comment counts: served as /count.js and run on any page of the newsroom (a site in
 * EMBED_ORIGINS), so plain ES2019 with no imports. Every
 *   <a href="…" data-threadline-count="<slug>">…</a>   or   <a href="…" data-threadline-url="<article address>">…</a>
 * on the page shows its thread's count of visible comments, kept live: "12 comments" in the page's
 * language (English or German; `data-threadline-format="number"` for the number alone). A link whose
 * count is unknown (no such thread, refused, offline) keeps its own text: the CMS's fallback count.
 * The counts of the whole page come in one request (GET /api/counts) and then one stream
 * (GET /api/counts/live, Server-Sent Events) that carries only what changed; without EventSource, or
 * when the stream cannot be held, the page polls the cached JSON with a backoff instead.
 * docs/embed.md, "Comment counts", says how to use it; docs/decisions.md why it works this way.
 */
(function () {
  'use strict';

  var SELECTOR = '[data-threadline-count],[data-threadline-url]';
  /** The server answers at most this many slugs per request (lib/domain/countRequest.ts). */
  var MAX_SLUGS = 200;
  var MAX_URLS = 50;
  /** Polling: the first wait, and the longest once nothing changes for a while. */
  var POLL_MIN_MS = 15000;
  var POLL_MAX_MS = 300000;
  /** The stream failing this many times in a row before it ever delivered: polling takes over. */
  var STREAM_TRIES = 3;
  /** How long the page must be still before links added to it are looked for. */
  var RESCAN_MS = 300;

  var WORDS = {
    en: { one: 'comment', other: 'comments' },
    de: { one: 'Kommentar', other: 'Kommentare' },
  };

  /** "12 comments" in `lang` (English unless it is German), or the number alone. */
  function countText(count, lang, format) {
    var language = String(lang || 'en').toLowerCase().split('-')[0];
    var words = WORDS[language] || WORDS.en;
    var number;
    try {
      number = count.toLocaleString(language in WORDS ? lang : 'en');
    } catch {
      number = String(count);
    }
    if (format === 'number') return number;
    return number + ' ' + (count === 1 ? words.one : words.other);
  }

  /** A count as the server sends it: a whole number, or null (unknown). Anything else is not a count. */
  function isCount(value) {
    return value === null || (typeof value === 'number' && value >= 0 && Math.floor(value) === value);
  }

  /** The counts in a stream message's data (`{"slug": 12, "other": null}`); null for anything malformed. */
  function readMessage(data) {
    var parsed;
    try {
      parsed = JSON.parse(data);
    } catch {
      return null;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    var counts = {};
    for (var slug in parsed) {
      if (!Object.prototype.hasOwnProperty.call(parsed, slug)) continue;
      if (!isCount(parsed[slug])) return null;
      counts[slug] = parsed[slug];
    }
    return counts;
  }

  /** GET /api/counts's answer, checked: `{ counts: {slug: n|null}, urls: {address: {slug, count}|null} }`; null when malformed. */
  function readAnswer(body) {
    if (!body || typeof body !== 'object' || !body.counts || typeof body.counts !== 'object' || !body.urls || typeof body.urls !== 'object') return null;
    var counts = readMessage(JSON.stringify(body.counts));
    if (!counts) return null;
    var urls = {};
    for (var url in body.urls) {
      if (!Object.prototype.hasOwnProperty.call(body.urls, url)) continue;
      var found = body.urls[url];
      if (found === null) urls[url] = null;
      else if (found && typeof found.slug === 'string' && isCount(found.count) && found.count !== null) urls[url] = { slug: found.slug, count: found.count };
      else return null;
    }
    return { counts: counts, urls: urls };
  }

  /** The next wait of the polling: back to the shortest after a change, twice as long (up to the longest) after none. */
  function nextPoll(previousMs, changed) {
    if (changed || !previousMs) return POLL_MIN_MS;
    return Math.min(POLL_MAX_MS, previousMs * 2);
  }

  var api = (window.Threadline = window.Threadline || {});
  // For tests of the parts above (server/counts/count.test.ts), which run this file without a page.
  api.counts = { countText: countText, readMessage: readMessage, readAnswer: readAnswer, nextPoll: nextPoll };

  var script = document.currentScript;
  if (!script || !script.src) return;
  var origin = new URL(script.src).origin;

  /** The links being counted now, their requests and stream; started again when links are added later. */
  var session = null;

  function start() {
    if (session) session.stop();
    session = track(Array.prototype.slice.call(document.querySelectorAll(SELECTOR)));
  }

  /** Counts these links, live, until stopped. */
  function track(links) {
    var stopped = false;
    var stream = null;
    var timers = [];
    function later(fn, ms) {
      var id = setTimeout(function () {
        timers.splice(timers.indexOf(id), 1);
        if (!stopped) fn();
      }, ms);
      timers.push(id);
    }
    var stop = function () {
      stopped = true;
      timers.forEach(clearTimeout);
      if (stream) stream.close();
    };
    links.forEach(function (link) {
      link.threadlineTracked = true;
    });
    if (links.length === 0) return { stop: stop };
    var slugs = [];
    var urls = [];
    links.forEach(function (link) {
      // What the CMS wrote is what the link says whenever its count is unknown (kept from the first time it was seen).
      if (link.threadlineOwnText === undefined) link.threadlineOwnText = link.textContent;
      var slug = link.getAttribute('data-threadline-count');
      var url = link.getAttribute('data-threadline-url');
      if (slug) {
        if (slugs.indexOf(slug) < 0) slugs.push(slug);
      } else if (url) {
        url = new URL(url, document.baseURI).href;
        link.threadlineUrl = url;
        if (urls.indexOf(url) < 0) urls.push(url);
      }
    });
    if (slugs.length > MAX_SLUGS || urls.length > MAX_URLS) {
      console.warn('Threadline count.js: at most ' + MAX_SLUGS + ' threads and ' + MAX_URLS + ' article addresses per page; the rest keep their own text.');
      slugs = slugs.slice(0, MAX_SLUGS);
      urls = urls.slice(0, MAX_URLS);
    }
    var shown = {};

    function show(counts) {
      var changed = false;
      links.forEach(function (link) {
        var slug = link.getAttribute('data-threadline-count') || link.threadlineSlug;
        if (!slug || !Object.prototype.hasOwnProperty.call(counts, slug)) return;
        var count = counts[slug];
        if (shown[slug] !== count) changed = true;
        var lang = (link.closest('[lang]') || document.documentElement).getAttribute('lang');
        var text = count === null ? link.threadlineOwnText : countText(count, lang, link.getAttribute('data-threadline-format'));
        if (link.textContent !== text) link.textContent = text;
        link.setAttribute('data-threadline-counted', count === null ? '' : String(count));
      });
      for (var slug in counts) if (Object.prototype.hasOwnProperty.call(counts, slug)) shown[slug] = counts[slug];
      return changed;
    }

    function query(withUrls) {
      var q = new URLSearchParams();
      if (slugs.length > 0) q.set('slugs', slugs.join(','));
      if (withUrls) urls.forEach(function (u) { q.append('url', u); });
      return q.toString();
    }

    // Refused (a site not in EMBED_ORIGINS) or a bad link: said in the console, and the links keep their text.
    function read(withUrls) {
      return fetch(origin + '/api/counts?' + query(withUrls), { credentials: 'omit' }).then(function (res) {
        return res.json().then(function (body) {
          if (!res.ok) {
            var error = (body && body.error) || {};
            var fault = new Error('Threadline count.js: ' + (error.message || 'counts refused') + ' (' + (error.code || res.status) + ')');
            fault.permanent = res.status >= 400 && res.status < 500 && res.status !== 429;
            throw fault;
          }
          var answer = readAnswer(body);
          if (!answer) throw new Error('Threadline count.js: the answer was not understood');
          return answer;
        });
      });
    }

    var pollMs = 0;
    function poll() {
      read(false).then(
        function (answer) {
          if (stopped) return;
          pollMs = nextPoll(pollMs, show(answer.counts));
          later(poll, pollMs);
        },
        function (err) {
          if (stopped) return;
          if (err.permanent) return console.error(err.message);
          pollMs = nextPoll(pollMs, false);
          later(poll, pollMs);
        },
      );
    }

    function live() {
      if (slugs.length === 0) return;
      if (typeof EventSource !== 'function' || script.getAttribute('data-live') === 'poll') {
        pollMs = POLL_MIN_MS;
        return void later(poll, pollMs);
      }
      var failures = 0;
      stream = new EventSource(origin + '/api/counts/live?' + query(false));
      stream.addEventListener('counts', function (event) {
        failures = 0;
        var counts = readMessage(event.data);
        if (counts) show(counts);
      });
      stream.onerror = function () {
        // EventSource opens the stream again by itself; one that never holds (a proxy that buffers it, a refusal) is given up.
        failures += 1;
        if (failures >= STREAM_TRIES || stream.readyState === EventSource.CLOSED) {
          stream.close();
          pollMs = POLL_MIN_MS;
          later(poll, pollMs);
        }
      };
    }

    function begin() {
      read(true).then(
        function (answer) {
          if (!stopped) found(answer);
        },
        function (err) {
          if (stopped) return;
          // Refused or a bad link: said once. Unreachable or failing: tried again, later and later.
          if (err.permanent) return console.error(err.message);
          pollMs = nextPoll(pollMs, false);
          later(begin, pollMs);
        },
      );
    }

    function found(answer) {
      links.forEach(function (link) {
        var thread = link.threadlineUrl && answer.urls[link.threadlineUrl];
        if (!thread) return;
        link.threadlineSlug = thread.slug;
        answer.counts[thread.slug] = thread.count;
        if (slugs.indexOf(thread.slug) < 0 && slugs.length < MAX_SLUGS) slugs.push(thread.slug);
      });
      show(answer.counts);
      live();
    }
    begin();
    return { stop: stop };
  }

  /**
   * Links a page adds later (a "more stories" button, an infinite front page) are counted too: once the
   * page has been still for a moment, a link not counted yet starts the counting again for all of them
   * (one request, one stream). A count written into a link is a change too, and finds nothing new.
   */
  function watchForNewLinks() {
    if (typeof MutationObserver !== 'function') return;
    var pending = null;
    new MutationObserver(function () {
      if (pending) return;
      pending = setTimeout(function () {
        pending = null;
        var links = document.querySelectorAll(SELECTOR);
        for (var i = 0; i < links.length; i++) {
          if (!links[i].threadlineTracked) return start();
        }
      }, RESCAN_MS);
    }).observe(document.documentElement, { childList: true, subtree: true });
  }

  function boot() {
    start();
    watchForNewLinks();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();

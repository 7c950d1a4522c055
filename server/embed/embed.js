/*
 * Threadline's embed: served as /embed.js and run on the host page (any site), so plain
 * ES2017 with no imports. For each
 *   <script src="https://<threadline>/embed.js" data-thread="<slug>" [data-token] [data-sso-token] [data-url] [data-theme] [data-target] async>
 * it puts a frame with the live discussion after the tag (or into the element data-target
 * names), sizes the frame to its content (keeping the reader's place on the page when content
 * arrives above it), tells it where the reader's screen is (so that what it shows the reader,
 * such as "2 new comments", is on screen), passes the host's light or dark scheme on, and makes
 * `#threadline-comment-<id>` permalinks on the host page, and the comments the frame takes the
 * reader to, scroll the page to that comment. The host's sign-in token (`data-sso-token`, and
 * `window.Threadline.setSsoToken(token)` when the host's login changes) is handed to one frame,
 * which swaps it for a session; the others re-read who is signed in when it says the session changed.
 * The message types and the fragment prefix are lib/domain/embed.ts's; docs/embed.md lists them.
 */
(function () {
  'use strict';

  var PERMALINK = /^#threadline-comment-([a-z0-9]{1,32})$/;
  var DONE = 'data-threadline-embedded';

  // One sign-in per page, whatever the number of frames: a token signs in once (its jti), and the
  // frames share the session cookie. `token`: undefined while the host has said nothing, null when
  // nobody is signed in there; `handed`: the last one given to a frame.
  var sso = { token: undefined, handed: undefined, frames: [] };
  function handOverSso() {
    if (sso.token === undefined || sso.token === sso.handed) return;
    for (var i = 0; i < sso.frames.length; i++) {
      if (sso.frames[i].ready) {
        sso.handed = sso.token;
        // The token goes to Threadline's origin only (postMessage's target), never into an address.
        sso.frames[i].send({ type: 'threadline:sso', token: sso.token });
        return;
      }
    }
  }
  var api = (window.Threadline = window.Threadline || {});
  /** The host's login changed: a new token for its user, or null when nobody is signed in there. */
  api.setSsoToken = function (token) {
    if (token !== null && (typeof token !== 'string' || token === '')) throw new TypeError('Threadline.setSsoToken takes a token (a string) or null');
    sso.token = token;
    handOverSso();
  };

  function hostTheme(script, place) {
    var asked = script.getAttribute('data-theme') || document.documentElement.getAttribute('data-theme');
    if (asked === 'light' || asked === 'dark') return asked;
    // A host that declares one scheme only (`color-scheme: dark`) is drawn in it.
    var declared = getComputedStyle(document.documentElement).colorScheme || '';
    if (!declared || declared === 'normal') {
      var meta = document.querySelector('meta[name="color-scheme"]');
      declared = meta ? meta.getAttribute('content') || '' : '';
    }
    var light = /\blight\b/.test(declared);
    var dark = /\bdark\b/.test(declared);
    if (dark && !light) return 'dark';
    if (light && !dark) return 'light';
    // Else what the host paints behind the frame; else the browser's canvas, which follows the
    // reader only on a page that declares both schemes (one declaring none is white).
    var behind = paintedBehind(place);
    if (behind) return behind;
    if (!light || !window.matchMedia) return 'light';
    return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }

  // The scheme of what the host paints behind the frame: the first mostly opaque background from
  // `node` up, read through a canvas (any colour syntax); null when nothing is painted.
  function paintedBehind(node) {
    var pen = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    for (; pen && node && node.nodeType === 1; node = node.parentNode) {
      pen.clearRect(0, 0, 1, 1);
      pen.fillStyle = getComputedStyle(node).backgroundColor;
      pen.fillRect(0, 0, 1, 1);
      var p = pen.getImageData(0, 0, 1, 1).data;
      if (p[3] >= 128) return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2] < 128 ? 'dark' : 'light';
    }
    return null;
  }

  function canonicalUrl() {
    var link = document.querySelector('link[rel="canonical"][href]');
    var url = new URL(link ? link.href : window.location.href);
    url.hash = '';
    return url.href;
  }

  function embed(script) {
    script.setAttribute(DONE, '');
    var slug = script.getAttribute('data-thread');
    if (!slug) return;
    var origin = new URL(script.src).origin;
    var targetId = script.getAttribute('data-target');
    var target = targetId && document.getElementById(targetId);
    var place = target || script.parentNode;
    var theme = hostTheme(script, place);
    var query = new URLSearchParams({ url: script.getAttribute('data-url') || canonicalUrl(), theme: theme });
    // The host's signed word that the thread may be opened (docs/embed.md); its title is in it.
    var token = script.getAttribute('data-token');
    if (token) query.set('token', token);
    // Present but empty: nobody is signed in on the host (a session its token opened ends).
    if (script.hasAttribute('data-sso-token') && sso.token === undefined) sso.token = script.getAttribute('data-sso-token') || null;

    var frame = document.createElement('iframe');
    frame.src = origin + '/embed/' + encodeURIComponent(slug) + '?' + query.toString();
    frame.title = 'Comments';
    frame.className = 'threadline-frame';
    frame.setAttribute('data-thread', slug);
    frame.style.cssText = 'display:block;width:100%;height:300px;border:0;color-scheme:normal;';
    frame.setAttribute('scrolling', 'no');

    if (target) target.appendChild(frame);
    else script.parentNode.insertBefore(frame, script.nextSibling);

    function send(message) {
      if (frame.contentWindow) frame.contentWindow.postMessage(message, origin);
    }
    var member = { ready: false, send: send };
    sso.frames.push(member);

    function showLinkedComment() {
      var match = PERMALINK.exec(window.location.hash);
      if (match) send({ type: 'threadline:show-comment', id: match[1] });
    }

    function followTheme() {
      var now = hostTheme(script, frame.parentNode);
      if (now === theme) return;
      theme = now;
      send({ type: 'threadline:theme', theme: theme });
    }

    // Where the screen starts in the frame's coordinates, and its height: the frame keeps the reader's
    // place by it, and its arrivals pill and reply notice on screen. Once a frame at most.
    var viewQueued = false;
    function queueView() {
      if (viewQueued) return;
      viewQueued = true;
      window.requestAnimationFrame(function () {
        viewQueued = false;
        send({ type: 'threadline:view', top: -frame.getBoundingClientRect().top, height: window.innerHeight });
      });
    }
    window.addEventListener('scroll', queueView, { passive: true });
    window.addEventListener('resize', queueView);

    // `shift`: how far the frame's content on screen moved down with this height (content arrived
    // above it). With the frame's top above the screen, the page scrolls as far (less what the
    // browser's scroll anchoring did): neither that content nor the page below the frame moves.
    function resize(height, shift) {
      var before = frame.getBoundingClientRect().top;
      frame.style.height = Math.ceil(height) + 'px';
      if (shift !== 0 && before < 0) {
        var after = frame.getBoundingClientRect().top;
        window.scrollBy(0, after - (before - shift));
      }
      queueView();
    }

    window.addEventListener('message', function (event) {
      // Only this frame, loaded from Threadline, may resize it or scroll the page.
      if (event.origin !== origin || event.source !== frame.contentWindow) return;
      var data = event.data || {};
      if (data.type === 'threadline:height' && typeof data.height === 'number' && data.height >= 0) {
        var shift = typeof data.shift === 'number' && Math.abs(data.shift) <= data.height ? data.shift : 0;
        resize(data.height, shift);
      } else if (data.type === 'threadline:ready') {
        member.ready = true;
        send({ type: 'threadline:theme', theme: theme });
        queueView();
        showLinkedComment();
        handOverSso();
      } else if (data.type === 'threadline:session' && data.changed === true) {
        // This frame reloads itself; the page's other frames re-read who is signed in.
        for (var f = 0; f < sso.frames.length; f++) {
          if (sso.frames[f] !== member) sso.frames[f].send({ type: 'threadline:session-changed' });
        }
      } else if (data.type === 'threadline:comment-offset' && typeof data.top === 'number') {
        var top = frame.getBoundingClientRect().top + window.pageYOffset + data.top;
        window.scrollTo({ top: Math.max(0, top - 16) });
      }
    });
    window.addEventListener('hashchange', showLinkedComment);
    if (window.matchMedia) {
      var systemDark = window.matchMedia('(prefers-color-scheme: dark)');
      if (systemDark.addEventListener) systemDark.addEventListener('change', followTheme);
    }
    // Hosts that switch themes by class, attribute or style on <html> or <body>.
    var themeChanges = new MutationObserver(followTheme);
    var themed = [document.documentElement, document.body];
    for (var i = 0; i < themed.length; i++) {
      if (themed[i]) themeChanges.observe(themed[i], { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] });
    }
  }

  function embedAll() {
    var scripts = document.querySelectorAll('script[data-thread]:not([' + DONE + '])');
    for (var i = 0; i < scripts.length; i++) {
      if (/\/embed\.js(\?|$)/.test(scripts[i].src)) embed(scripts[i]);
    }
  }

  // Each tag runs this file; whichever runs first embeds every tag already on the page.
  if (document.currentScript && !document.currentScript.hasAttribute(DONE) && document.currentScript.getAttribute('data-thread')) embed(document.currentScript);
  embedAll();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', embedAll);
})();

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { digestCutoff } from './mailService';
import { excerpt, noticesMail, queueAlertMail } from './mailTexts';
import { createUnsubscribeTokens } from './unsubscribeTokens';

const SECRET = 'unsubscribe-test-secret-unsubscribe-test';
const site = { name: 'The <Test> Times', address: 'Test & Times Ltd, 1 Press Lane', publicUrl: 'https://comments.example.com' };

describe('unsubscribe tokens', () => {
  const tokens = createUnsubscribeTokens(SECRET);

  test('carry the person and the kinds (sorted, once each), and come back from verify', () => {
    const token = tokens.sign({ userId: 'abc123', kinds: ['reply', 'mention', 'reply'] });
    assert.match(token, /^abc123\.mention\+reply\.[A-Za-z0-9_-]{32}$/);
    assert.deepEqual(tokens.verify(token), { userId: 'abc123', kinds: ['mention', 'reply'] });
  });

  test('refuse another person, another kind, another secret, a changed signature, junk and unknown kinds', () => {
    const token = tokens.sign({ userId: 'abc123', kinds: ['reply'] });
    const [, , signature] = token.split('.');
    const other = createUnsubscribeTokens(`${SECRET}!`);
    for (const bad of [
      `abc124.reply.${signature}`,
      `abc123.mention.${signature}`,
      `abc123.mention+reply.${signature}`,
      other.sign({ userId: 'abc123', kinds: ['reply'] }),
      `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
      `${token}.x`,
      'abc123.reply',
      '',
      null,
      undefined,
      'x'.repeat(500),
      `abc123.sms.${signature}`,
    ]) {
      assert.equal(tokens.verify(bad), null, String(bad));
    }
    assert.equal(tokens.verify(createUnsubscribeTokens(SECRET).sign({ userId: 'abc123', kinds: ['sms' as 'reply'] })), null, 'a kind not on the list');
  });
});

describe('mail texts', () => {
  test('an excerpt is plain text, cut at a word', () => {
    assert.equal(excerpt('**Bold** and _soft_ [a link](https://x.example) `code`'), 'Bold and soft a link code');
    const long = excerpt(`${'word '.repeat(100)}`, 50);
    assert.ok(long.length <= 51 && long.endsWith('…') && !long.includes('wor…'), long);
  });

  test('names and words from people are escaped in the HTML part; both parts carry the site and the unsubscribe', () => {
    const mail = noticesMail({
      site,
      recipient: { userId: 'u1', displayName: 'Ann <script>', email: 'ann@example.test' },
      notices: [{ id: 'n1', kind: 'reply', commentId: 'c1', threadSlug: 'a-story', threadTitle: 'A "story" <b>', actorName: '<img src=x onerror=alert(1)>', decision: null, reason: null, body: '<script>alert(1)</script> hi', createdAt: '2026-01-01T00:00:00.000Z' }],
      unsubscribeUrl: (kinds) => `https://comments.example.com/api/unsubscribe?t=u1.${kinds.join('+')}.sig`,
    });
    assert.doesNotMatch(mail.html, /<script|<img|<b>/);
    assert.match(mail.html, /&lt;img src=x onerror=alert\(1\)&gt; replied to you/);
    assert.match(mail.text, /<img src=x onerror=alert\(1\)> replied to you in “A "story" <b>”:/, 'the plain part is plain');
    for (const part of [mail.text, mail.html]) assert.ok(part.includes('Test &') || part.includes('Test &amp;'), 'the address');
    assert.equal(mail.headers['List-Unsubscribe'], '<https://comments.example.com/api/unsubscribe?t=u1.reply.sig>');
    assert.equal(mail.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    assert.match(mail.messageId, /^<[a-z0-9]+\.[a-z0-9]+@comments\.example\.com>$/);
    assert.equal(mail.subject, '<img src=x onerror=alert(1)> replied to you (The <Test> Times)');
  });

  test('a pick tells its author with the moderator’s note (escaped), under its own kind’s unsubscribe', () => {
    const mail = noticesMail({
      site,
      recipient: { userId: 'u1', displayName: 'Ann', email: 'ann@example.test' },
      notices: [{ id: 'n2', kind: 'featured', commentId: 'c2', threadSlug: 'a-story', threadTitle: 'A story', actorName: null, decision: null, reason: 'Sharp & <fair>', body: 'My comment', createdAt: '2026-01-01T00:00:00.000Z' }],
      unsubscribeUrl: (kinds) => `https://comments.example.com/api/unsubscribe?t=u1.${kinds.join('+')}.sig`,
    });
    assert.match(mail.text, /Your comment in “A story” was featured as an editors’ pick\. Note: Sharp & <fair>/);
    assert.doesNotMatch(mail.html, /<fair>/);
    assert.equal(mail.headers['List-Unsubscribe'], '<https://comments.example.com/api/unsubscribe?t=u1.featured.sig>');
    assert.match(mail.subject, /^Your comment was featured as an editors’ pick/);
  });

  test('the queue alert names the wait and links to the desk', () => {
    const mail = queueAlertMail({ site, recipient: { userId: 'm1', displayName: 'Mod', email: 'mod@example.test' }, waitedMinutes: 42, unsubscribeUrl: () => 'https://comments.example.com/api/unsubscribe?t=x', dedupeKey: 'queue:c1' });
    assert.match(mail.text, /waited in the moderation queue for 42 minutes/);
    assert.ok(mail.text.includes('https://comments.example.com/moderate'));
    assert.equal(mail.dedupeKey, 'queue:c1');
  });
});

describe('the digest’s time', () => {
  test('today’s hour once it has come, else yesterday’s', () => {
    const at = (s: string) => Date.parse(s);
    assert.equal(digestCutoff(at('2026-03-10T07:00:00.000Z'), 7), at('2026-03-10T07:00:00.000Z'));
    assert.equal(digestCutoff(at('2026-03-10T23:59:00.000Z'), 7), at('2026-03-10T07:00:00.000Z'));
    assert.equal(digestCutoff(at('2026-03-10T06:59:59.999Z'), 7), at('2026-03-09T07:00:00.000Z'));
    assert.equal(digestCutoff(at('2026-03-01T00:30:00.000Z'), 0), at('2026-03-01T00:00:00.000Z'));
  });
});

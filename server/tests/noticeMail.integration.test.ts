import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CommentView } from '../../lib/contract/api';
import { NotificationListSchema } from '../../lib/contract/notifications';
import type { ProvenIdentity } from '../../lib/domain/identity';
import { createMailService, type MailSettings } from '../../lib/services/mail/mailService';
import { silentLogger } from '../log';
import { createOutboxDeliverer, type OutboxDeliverer } from '../mail/outboxDeliverer';
import { createSmtpMailer } from '../mail/smtpMailer';
import { STAFF_COOKIE } from '../http/staffSession';
import type { HttpResult } from '../testing/http';
import { createOpenThread, TEST_PASSWORD_COST, TEST_SESSION_SECRET } from '../testing/nodes';
import { freshAddress } from '../testing/notices';
import { startSmtpServer, type TestSmtpServer } from '../testing/smtpServer';
import { expectStatus, staffMember, WebClient } from '../testing/staff';
import { DATABASE_KINDS, useNode } from '../testing/suites';

/**
 * Issue 17 end to end on one node: people act over HTTP (a reply, a mention, a moderator's removal
 * with a reason), the notifier keeps the notices (the bell lists them), and after the batch window
 * the mail service and the outbox deliver them to a real SMTP server as ONE mail; the actors, whose
 * own actions these were, are told nothing.
 */
const PUBLIC_URL = 'http://comments.test';
const BATCH_MS = 300_000;
const MAIL: MailSettings = { site: { name: 'The Test Times', address: 'Test Times Ltd, 1 Press Lane, 12345 Testtown', publicUrl: PUBLIC_URL }, batchMs: BATCH_MS, digestHourUtc: 7, queueAlertMs: null };

for (const kind of DATABASE_KINDS) {
  describe(`notices by mail, end to end (${kind})`, () => {
    let smtp: TestSmtpServer;
    let mailer: ReturnType<typeof createSmtpMailer>;
    let deliverer: OutboxDeliverer;
    let offsetMs = 0;
    const now = () => Date.now() + offsetMs;

    before(async () => {
      smtp = await startSmtpServer();
      mailer = createSmtpMailer({ smtpUrl: smtp.url, from: 'Comments <comments@news.test>', timeoutMs: 2000 });
    });
    after(async () => {
      mailer.close();
      await smtp.close();
    });

    const suite = useNode(kind, {
      // Its moderator signs in with a password: hashed at the cheap test cost, not OWASP's.
      passwordCost: TEST_PASSWORD_COST,
      services: (store, defaults) => ({ ...defaults, mail: createMailService({ store, settings: MAIL, sessionSecret: TEST_SESSION_SECRET, perAddress: defaults.limiters.emailLinks, now }) }),
    });
    before(() => {
      deliverer = createOutboxDeliverer({ store: suite.node.store.mail, mailer, log: silentLogger, now, random: () => 0, sendTimeoutMs: 2000 });
    });

    async function person(name: string): Promise<{ id: string; client: WebClient; email: string }> {
      const email = freshAddress(name.toLowerCase());
      const identity: ProvenIdentity = { method: 'email', provider: 'email', subject: email, email, emailVerified: true, name, badges: null };
      const { token, user } = await suite.node.services.auth.signInWith({ identity, userAgent: 'test' });
      return { id: user.id, client: new WebClient(suite.node.baseUrl, { [STAFF_COOKIE]: token }), email };
    }
    const posted = (res: HttpResult): CommentView => {
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return (res.body as { comment: CommentView }).comment;
    };

    test('a reply, a mention and a removal with its reason: in the bell at once, in one mail after the window; the actors are told nothing', async () => {
      const t = await createOpenThread(suite.node.services, 'mail end to end');
      const [ann, ben, cat] = [await person('Ann'), await person('Ben'), await person('Cat')];
      const asked = posted(await ann.client.comment(t.slug, { body: 'Who has the figures?', authorName: 'x' }));
      const annName = asked.author.name!;
      const doomed = posted(await ann.client.comment(t.slug, { body: 'Something a moderator will take down.', authorName: 'x' }));
      const reply = posted(await ben.client.comment(t.slug, { body: 'I do: 42 per cent.', authorName: 'x', parentId: asked.id }));
      const mention = posted(await cat.client.comment(t.slug, { body: `@${annName} you will want to see this`, authorName: 'x' }));
      const { client: mod } = await staffMember(suite.node, 'moderator');
      expectStatus(await mod.act(doomed.id, 'remove', 'Off topic'), 200);
      await suite.node.services.noticesSettled();

      const bell = NotificationListSchema.parse(expectStatus(await ann.client.get('/api/me/notifications'), 200));
      assert.deepEqual(
        bell.notifications.map((n) => [n.kind, n.commentId, n.decision, n.reason]).sort(),
        [
          ['mention', mention.id, null, null],
          ['moderation', doomed.id, 'removed', 'Off topic'],
          ['reply', reply.id, null, null],
        ].sort(),
      );
      assert.equal(bell.unread, 3);

      await suite.node.services.mail.mailNotices(now());
      assert.equal(await deliverer.runOnce(), 0, 'nothing before the batch window has passed');
      offsetMs += BATCH_MS + 1000;
      await suite.node.services.mail.mailNotices(now());
      assert.equal(await deliverer.runOnce(), 1);
      const mails = smtp.mailsTo(ann.email);
      assert.equal(mails.length, 1, 'three notices, one mail');
      const text = mails[0]!.text;
      assert.match(text, new RegExp(`${reply.author.name} replied to you in`));
      assert.match(text, new RegExp(`${mention.author.name} mentioned you in`));
      assert.match(text, /was removed by a moderator\. Reason: Off topic/);
      assert.ok(text.includes(`${PUBLIC_URL}/articles/${t.slug}/comments/${reply.id}`), 'links to the reply on its branch page');
      assert.deepEqual([...smtp.mailsTo(ben.email), ...smtp.mailsTo(cat.email)], [], 'the actors are told nothing');

      offsetMs += BATCH_MS * 2;
      await suite.node.services.mail.mailNotices(now());
      assert.equal(await deliverer.runOnce(), 0, 'nothing twice');
    });
  });
}

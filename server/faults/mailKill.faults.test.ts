import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CommentView } from '../../lib/contract/api';
import { createServices } from '../../lib/services';
import { openStore, type Store } from '../../lib/store';
import { createTestDatabase, type TestDatabase } from '../../lib/store/testDatabases';
import { HttpGuest } from '../testing/http';
import { createOpenThread, TEST_SESSION_SECRET } from '../testing/nodes';
import { startNodeProcess, type NodeProcess } from '../testing/nodeProcess';
import { freshAddress, noticeRows, type NoticeRows } from '../testing/notices';
import { startSmtpServer, type TestSmtpServer } from '../testing/smtpServer';
import { waitFor } from '../testing/wait';

/**
 * The outbox through a node's death (docs/email.md, "The outbox"): a real node process takes a
 * notice, queues its mail and begins to hand it to a real SMTP server that never answers; the node
 * is SIGKILLed in the middle of the mail. Nothing was accepted, so nothing is lost: a restarted
 * node sends that mail once its lease is over — once, with the Message-ID fixed when it was queued.
 */
const SEND_TIMEOUT_MS = 3000;

let db: TestDatabase;
let store: Store;
let smtp: TestSmtpServer;
let rows: NoticeRows;
const nodes: NodeProcess[] = [];

before(async () => {
  db = await createTestDatabase('postgres');
  store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
  smtp = await startSmtpServer();
  rows = noticeRows(db);
});
after(async () => {
  for (const node of nodes) await node.kill();
  await rows.close();
  await smtp.close();
  await store.close();
  await db.cleanup();
});

const startMailNode = async () => {
  const node = await startNodeProcess({
    DATABASE_URL: db.databaseUrl!,
    DATA_DIR: db.dataDir,
    SESSION_SECRET: TEST_SESSION_SECRET,
    RATE_LIMITS: 'off',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'comments@news.test',
    PUBLIC_URL: 'http://comments.test',
    SITE_ADDRESS: 'Test Times Ltd, 1 Press Lane, Testtown',
    MAIL_BATCH_SECONDS: '10',
    MAIL_POLL_MS: '200',
    MAIL_SEND_TIMEOUT_MS: String(SEND_TIMEOUT_MS),
  });
  nodes.push(node);
  return node;
};

test('SIGKILL a node in the middle of a mail: a restarted node sends it after the lease, exactly once, with the same Message-ID', async () => {
  const services = createServices({ store, sessionSecret: TEST_SESSION_SECRET });
  const address = freshAddress('killed');
  const { user } = await services.auth.signInWith({ identity: { method: 'email', provider: 'email', subject: address, email: address, emailVerified: true, name: 'Killed Kay', badges: null }, userAgent: 'test' });
  const t = await createOpenThread(services, 'mail-kill');
  const threadId = (await store.findThreadRowBySlug(t.slug))!.id;
  await services.close();

  smtp.mode = 'stall';
  const first = await startMailNode();
  const reply = await new HttpGuest(first.baseUrl).post(t.slug, { body: 'a reply worth a mail', authorName: 'Replier' });
  assert.equal(reply.status, 201);
  const comment = (reply.body as { comment: CommentView }).comment;
  // Made a minute ago: its batch window (10 s) is over, the node takes it at its next round.
  const notice = await rows.notice({ recipientId: user.id, kind: 'reply', threadId, commentId: comment.id, actorName: 'Replier', createdAt: new Date(Date.now() - 60_000).toISOString() });

  // Killed the moment DATA begins, well inside the sender's own timeout: a poll on a loaded machine
  // could come after that timeout, and the mail would then be a recorded failure, not one in flight.
  smtp.onDataStarted = () => first.signal('SIGKILL');
  await waitFor('the node to begin handing the mail over', () => smtp.dataStarted >= 1, { timeoutMs: 20_000 });
  smtp.onDataStarted = null;
  await first.kill();
  assert.equal(smtp.mailsTo(address).length, 0, 'the server accepted nothing');
  const [queued, ...others] = (await store.mail.list({ state: 'pending', limit: 10 })).filter((m) => m.to === address);
  assert.equal(others.length, 0);
  assert.ok(queued, 'the mail is still in the outbox, pending');
  assert.equal(queued.attempts, 1, 'its attempt was counted when it was claimed');
  assert.equal(queued.lastError, null, 'the attempt was cut off by the kill, not ended by a timeout');
  assert.ok(await rows.mailedAt(notice), 'the notice was taken, with its mail, in one transaction');

  smtp.mode = 'accept';
  const restarted = await startMailNode();
  await waitFor('the restarted node to send the mail once its lease is over', () => smtp.mailsTo(address).length >= 1, { timeoutMs: SEND_TIMEOUT_MS * 4 + 15_000 });
  await waitFor('the mail to be marked sent', async () => (await store.mail.list({ state: 'sent', limit: 50 })).some((m) => m.id === queued.id));
  const [mail, ...twice] = smtp.mailsTo(address);
  assert.equal(twice.length, 0, 'sent once');
  assert.equal(mail!.messageId, queued.messageId, 'with the Message-ID it was queued with');
  assert.equal(mail!.subject, 'Replier replied to you (comments.test)');
  assert.ok(restarted.output().includes('listening on'));
});

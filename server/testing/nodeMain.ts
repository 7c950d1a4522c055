/**
 * A real Threadline node process for the fault tests: the same app, store,
 * Redis fan-out and signal handling as server/main.ts, without Next.js (API and
 * sockets only), so that a test can start two in seconds and SIGKILL or
 * SIGTERM one. Configured by the usual environment variables, plus
 * SYNC_INTERVAL_MS (how often readers are told the latest seq), MAIL_POLL_MS (how often the outbox
 * is looked at) and MAIL_SEND_TIMEOUT_MS (how long one mail may take, and so its lease), with email
 * for notices as main.ts runs it when SMTP_URL and SITE_ADDRESS are set.
 */
import { createServices } from '../../lib/services';
import { openStore } from '../../lib/store';
import { createApp } from '../app';
import { loadConfig, mailSettings, redisSettings, siteDefaults, spamSettings } from '../config';
import { createSmtpMailer, jobsPollMs, startMail } from '../mail';
import { createLogger } from '../log';
import { createRateLimits } from '../rateLimits';
import { stopOnSignals } from '../shutdown';
import { startThreadClosing } from '../threadClosing';

async function run(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ level: config.logLevel, format: config.logFormat });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log, closeAfterDays: config.commentsCloseAfterDays });
  const redis = redisSettings(config);
  // As in main.ts: with Redis, the limits are shared by every node.
  const limits = createRateLimits({ rules: config.limits, enabled: config.rateLimits, maxSocketsPerAddress: config.maxSocketsPerAddress, redis, log });
  const services = createServices({
    store,
    sessionSecret: config.sessionSecret!,
    limiters: limits.limiters,
    signInHashing: { workers: config.signinHashWorkers, queue: config.signinHashQueue },
    spam: spamSettings(config, ['en', 'de']),
    siteDefaults: siteDefaults(config),
    notifications: config.notifications,
    log,
    mail: mailSettings(config),
  });
  const mail = mailSettings(config);
  const sendTimeoutMs = process.env.MAIL_SEND_TIMEOUT_MS ? Number(process.env.MAIL_SEND_TIMEOUT_MS) : undefined;
  const mailer = config.smtpUrl && config.mailFrom && mail ? createSmtpMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, timeoutMs: sendTimeoutMs }) : undefined;
  const syncIntervalMs = process.env.SYNC_INTERVAL_MS ? Number(process.env.SYNC_INTERVAL_MS) : undefined;
  const app = createApp({
    services,
    log,
    redis,
    metricsToken: config.metricsToken,
    edge: { allowedOrigins: config.allowedOrigins, trustProxy: config.trustProxy, dev: config.dev },
    syncIntervalMs,
  });
  const { port } = await app.listen({ port: config.port, host: '127.0.0.1' });
  log.info(`listening on http://127.0.0.1:${port}`);
  const mailPollMs = process.env.MAIL_POLL_MS ? Number(process.env.MAIL_POLL_MS) : undefined;
  const mailing = mailer && mail ? startMail({ services, mailer, log, jobsPollMs: jobsPollMs(mail.batchMs), pollMs: mailPollMs, sendTimeoutMs }) : undefined;
  const closing = startThreadClosing({ services, log, pollMs: config.threadClosingPollMs });
  stopOnSignals({ app, log, drainMs: config.shutdownDrainMs, graceMs: config.shutdownGraceMs, then: [closing, ...(mailing ? [mailing] : []), services, limits, store] });
}

run().catch((err: unknown) => {
  console.error('could not start', err);
  process.exit(1);
});

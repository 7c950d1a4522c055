import path from 'node:path';
import next from 'next';
import { createServices } from '../lib/services';
import { registerServices } from '../lib/services/registry';
import { describeSeedReport, importSeedDirectory } from '../lib/seed/importSeeds';
import { openStore, type Store } from '../lib/store';
import { createApp } from './app';
import { LOCALES } from '../app/i18n/locales';
import { ConfigError, loadConfig, mailSettings, redisSettings, siteDefaults, spamSettings, ssoSettings, type Config } from './config';
import { consoleLogger, createLogger, type Logger } from './log';
import { createRateLimits, rateLimitsOffBanner } from './rateLimits';
import { describeRedis } from './redisEndpoint';
import { ensureIslands, ISLANDS_DEV_DIR, ISLANDS_DIR, watchIslands } from './build/islands';
import { createIslandAssets } from './http/islandAssets';
import { registerIslandScripts } from '../app/islands/islandScripts';
import { ensureNextBuild } from './nextBuild';
import { resolveSessionSecret } from './sessionSecret';
import { stopOnSignals } from './shutdown';
import { startWebhooks } from './webhooks';
import { DEFAULT_PAGE_HTML_CACHE_MB } from './pageCache/readerPageCache';
import { createSmtpMailer } from './mail/smtpMailer';
import { jobsPollMs, startMail } from './mail';
import { startThreadClosing } from './threadClosing';
import { registerSignInMethods, signInMethods } from '../lib/services/signIn/methods';

const ROOT = path.resolve(__dirname, '..');
/** Replaced by the configured logger once the configuration is read. */
let log: Logger = consoleLogger;

/** The entry point: read the config, open the store, seed it if empty, serve pages + API + Socket.IO on one port. */
async function main(): Promise<void> {
  const config = readConfigOrExit();
  log = createLogger({ level: config.logLevel, format: config.logFormat });
  const sessionSecret = resolveSessionSecret({ configured: config.sessionSecret, dataDir: config.dataDir, log });
  // On stderr, whatever the log's format: it must be seen.
  if (!config.rateLimits) console.error(rateLimitsOffBanner());
  if (!config.spamChecks) log.warn('SPAM_CHECKS=off: no post or edit is checked for spam (for load tests on a trusted network only)');
  // The host only: the URL may hold a token.
  else if (config.spamCheckUrl) log.info(`spam check: asking the service at ${new URL(config.spamCheckUrl).host} (timeout ${config.spamCheckTimeoutMs} ms)`);

  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log, closeAfterDays: config.commentsCloseAfterDays });
  log.info(config.databaseUrl ? 'store: PostgreSQL (DATABASE_URL)' : `store: SQLite in ${path.resolve(config.dataDir)}`);
  await seedIfEmpty(store, config);

  // Email links are on with SMTP_URL (config.ts requires MAIL_FROM and PUBLIC_URL with it).
  const mailer = config.smtpUrl && config.mailFrom ? createSmtpMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom }) : undefined;
  if (mailer) log.info(`email sign-in: links through ${new URL(config.smtpUrl!).host}, pointing at ${config.publicUrl}`);
  registerSignInMethods(signInMethods(config));
  // Email for notices: with SMTP_URL and SITE_ADDRESS (docs/email.md); the bell works either way.
  const mail = mailer ? mailSettings(config) : undefined;
  if (mailer && !mail) log.warn('email for notices is off: set SITE_ADDRESS (the postal address every such mail carries) to turn it on');

  const redis = redisSettings(config);
  const limits = createRateLimits({ rules: config.limits, enabled: config.rateLimits, maxSocketsPerAddress: config.maxSocketsPerAddress, redis, log });
  const services = createServices({
    store,
    sessionSecret,
    limiters: limits.limiters,
    pageCacheComments: config.pageCacheComments,
    signInHashing: { workers: config.signinHashWorkers, queue: config.signinHashQueue },
    spam: spamSettings(config, LOCALES),
    sso: ssoSettings(config),
    siteDefaults: siteDefaults(config),
    notifications: config.notifications,
    log,
    oidcProviders: config.oidcProviders,
    emailLinks: mailer && config.publicUrl ? { mailer, publicUrl: config.publicUrl } : undefined,
    mail,
  });
  if (!config.databaseUrl) await announceFirstAdmin(services);
  registerServices(services);

  if (!config.dev) ensureNextBuild({ dir: ROOT, log: log.info });
  const pages = next({ dev: config.dev, dir: ROOT, hostname: config.host, port: config.port });
  await pages.prepare();
  // The reader pages' own script (docs/decisions.md, "The reader pages' script"), rebuilt on every change in development.
  const islandWatch = config.dev ? await watchIslands({ dir: ROOT, log: log.info }) : (await ensureIslands({ dir: ROOT, log: log.info }), undefined);
  const islands = createIslandAssets({ dir: path.join(ROOT, config.dev ? ISLANDS_DEV_DIR : ISLANDS_DIR), dev: config.dev });
  registerIslandScripts(islands.scripts);

  const app = createApp({
    services,
    pageHandler: pages.getRequestHandler(),
    islands,
    upgradeHandler: config.dev ? pages.getUpgradeHandler() : undefined,
    redis,
    maxSocketsPerAddress: limits.maxSocketsPerAddress,
    edge: { allowedOrigins: config.allowedOrigins, embedOrigins: config.embedOrigins, trustProxy: config.trustProxy, dev: config.dev },
    embed: { secret: config.embedSecret, threadUrls: config.embedThreadUrls },
    log,
    metricsToken: config.metricsToken,
    protocolVersion: config.testProtocolVersion,
    syncIntervalMs: config.testSeqSyncMs,
    // Development renders every page afresh: an edited component shows at the next reload.
    pageHtmlCacheMb: config.dev ? 0 : (config.pageHtmlCacheMb ?? DEFAULT_PAGE_HTML_CACHE_MB),
  });
  const address = await app.listen({ port: config.port, host: config.host });
  const shownHost = !config.host || config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  log.info(`listening on http://${shownHost}:${address.port} (${config.dev ? 'development' : 'production'}; ${describeRedis(redis)})`);

  // Every node delivers from the shared outbox; each delivery is claimed by one node only.
  const webhooks = config.webhookUrls.length > 0 && config.webhookSecret ? startWebhooks({ services, urls: config.webhookUrls, secret: config.webhookSecret, log }) : undefined;
  if (webhooks) log.info(`webhooks: ${config.webhookUrls.length} receiver(s)`);
  // Every node runs the mail jobs and sends from the shared outbox; each mail is taken by one node only.
  const mailing = mailer && mail ? startMail({ services, mailer, log, jobsPollMs: jobsPollMs(mail.batchMs) }) : undefined;
  if (mailing) log.info(`email for notices: batches of ${config.mailBatchSeconds} s, digest at ${config.digestHourUtc}:00 UTC${mail?.queueAlertMs ? `, queue alert after ${config.queueAlertMinutes} min` : ''}`);
  // Every node locks threads whose closing time has come; each is locked by one node only.
  const closing = startThreadClosing({ services, log, pollMs: config.threadClosingPollMs });

  stopOnSignals({ app, log, drainMs: config.shutdownDrainMs, graceMs: config.shutdownGraceMs, then: [closing, ...(webhooks ? [webhooks] : []), ...(mailing ? [mailing] : []), ...(islandWatch ? [{ close: islandWatch.dispose }] : []), ...(mailer ? [{ close: async () => mailer.close() }] : []), pages, services, limits, store] });
}

function readConfigOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

async function seedIfEmpty(store: Store, config: Config): Promise<void> {
  if ((await store.countThreads()) > 0) return;
  const reports = await importSeedDirectory({ store, dir: config.seedsDir });
  for (const report of reports) (report.outcome === 'failed' ? log.error : log.info)(`seed: ${describeSeedReport(report)}`);
}

/** On the embedded default, the first start makes an admin account and shows its password, once. */
async function announceFirstAdmin(services: ReturnType<typeof createServices>): Promise<void> {
  const admin = await services.auth.ensureFirstAdmin();
  if (!admin) return;
  log.info('created the first admin account; its password is printed below, once', { username: admin.username });
  // For the person starting the server, not for a log collector: plain lines on standard output.
  console.log(
    [
      'created the first admin account (shown only this once):',
      `    username: ${admin.username}`,
      `    password: ${admin.password}`,
      '  sign in at /login. To change the password:',
      `    npm run user:create -- --username ${admin.username} --role admin   (reads the new password from standard input)`,
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  log.error('could not start', err instanceof Error ? err.message : err);
  process.exit(1);
});

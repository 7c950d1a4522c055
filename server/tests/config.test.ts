import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig, mailSettings, redisSettings, type Config } from '../config';
import { matchThreadUrl, parseThreadUrlPattern } from '../embed/threadUrls';

const SECRET = 's'.repeat(32);

type Env = Record<string, string | undefined>;

/** Next.js types NODE_ENV as always present and never 'staging'; a real environment may be either. */
function load(env: Env): Config {
  return loadConfig(env as NodeJS.ProcessEnv);
}

/** The problems reported by a ConfigError, failing if `env` loads or throws anything else. */
function problems(env: Env): string[] {
  try {
    load(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.name, 'ConfigError');
    for (const p of err.problems) assert.ok(err.message.includes(p), 'the message lists every problem');
    return err.problems;
  }
  return assert.fail(`expected ${JSON.stringify(env)} to be rejected`);
}

/** The variable names the problems start with, e.g. `PORT: expected…` → `PORT`. */
function named(env: Env): string[] {
  return problems(env).map((p) => p.slice(0, p.indexOf(':')));
}

describe('loadConfig: defaults', () => {
  test('an empty environment gives the embedded defaults', () => {
    const expected: Config = {
      dev: false,
      port: 3000,
      host: undefined,
      databaseUrl: undefined,
      redisUrl: undefined,
      redisClusterNodes: undefined,
      redisAdapter: 'classic',
      dataDir: './data',
      sessionSecret: undefined,
      seedsDir: './seeds',
      redisPrefix: 'threadline',
      rateLimits: true,
      maxSocketsPerAddress: undefined,
      allowedOrigins: [],
      embedOrigins: [],
      embedSecret: undefined,
      embedThreadUrls: [],
      trustProxy: false,
      shutdownGraceMs: 10_000,
      shutdownDrainMs: 0,
      metricsToken: undefined,
      pageCacheComments: undefined,
      pageHtmlCacheMb: undefined,
      signinHashWorkers: 1,
      signinHashQueue: 8,
      logLevel: 'info',
      logFormat: 'json',
      limits: {},
      webhookUrls: [],
      webhookSecret: undefined,
      commentPolicy: 'guests',
      newAccountHold: 0,
      reviewAfterRejections: { rejections: 3, rejectionWindowDays: 30 },
      spamChecks: true,
      notifications: true,
      spamLinksFirstComment: true,
      spamRepeatedText: { count: 2, windowSeconds: 3600 },
      spamNewGuests: { count: 30, windowSeconds: 3600 },
      spamCheckUrl: undefined,
      spamCheckKey: undefined,
      spamCheckTimeoutMs: 1500,
      ssoSecret: undefined,
      ssoJwksUrl: undefined,
      ssoIssuer: undefined,
      ssoAudience: undefined,
      smtpUrl: undefined,
      mailFrom: undefined,
      publicUrl: undefined,
      siteName: undefined,
      siteAddress: undefined,
      mailBatchSeconds: 300,
      digestHourUtc: 7,
      queueAlertMinutes: undefined,
      testProtocolVersion: undefined,
      testSeqSyncMs: undefined,
      oidcProviders: [],
      commentsCloseAfterDays: undefined,
      threadClosingPollMs: 5000,
    };
    assert.deepEqual(load({}), expected);
  });

  test('closing on time: the days after which comments close, and how often each node looks', () => {
    const config = load({ COMMENTS_CLOSE_AFTER_DAYS: '14', THREAD_CLOSING_POLL_MS: '200' });
    assert.deepEqual([config.commentsCloseAfterDays, config.threadClosingPollMs], [14, 200]);
    for (const bad of ['0', '-1', '2.5', 'two weeks', '3651']) assert.deepEqual(named({ COMMENTS_CLOSE_AFTER_DAYS: bad }), ['COMMENTS_CLOSE_AFTER_DAYS'], bad);
    assert.deepEqual(named({ THREAD_CLOSING_POLL_MS: '5' }), ['THREAD_CLOSING_POLL_MS']);
  });

  test('operations: shutdown timings, the metrics token and the log settings', () => {
    const config = load({ SHUTDOWN_GRACE_MS: '2500', SHUTDOWN_DRAIN_MS: '100', METRICS_TOKEN: 'm'.repeat(16), LOG_LEVEL: 'warn', LOG_FORMAT: 'text' });
    assert.deepEqual(
      [config.shutdownGraceMs, config.shutdownDrainMs, config.metricsToken, config.logLevel, config.logFormat],
      [2500, 100, 'm'.repeat(16), 'warn', 'text'],
    );
    assert.equal(load({ NODE_ENV: 'development' }).logFormat, 'text', 'development logs compact text lines by default');
    assert.deepEqual(named({ SHUTDOWN_GRACE_MS: '10s', METRICS_TOKEN: 'short', LOG_LEVEL: 'loud' }), ['SHUTDOWN_GRACE_MS', 'METRICS_TOKEN', 'LOG_LEVEL']);
    assert.ok(!problems({ METRICS_TOKEN: 'short-secret' }).some((p) => p.includes('short-secret')), 'the token is never echoed');
  });

  test('an empty string counts as unset, as `FOO=` in a .env file means', () => {
    const env = { NODE_ENV: '', PORT: '', HOST: '', DATABASE_URL: '', REDIS_URL: '', DATA_DIR: '', SESSION_SECRET: '', SEEDS_DIR: '' };
    assert.deepEqual(load(env), load({}));
  });

  test('unrelated variables are ignored', () => {
    assert.deepEqual(load({ PATH: '/usr/bin', HOME: '/root', TERM: 'xterm' }), load({}));
  });

  test('every variable is read when set', () => {
    const config = load({
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://app@db:5432/threadline',
      REDIS_URL: 'rediss://cache:6380',
      DATA_DIR: '/var/lib/threadline',
      SESSION_SECRET: SECRET,
      SEEDS_DIR: '/srv/seeds',
      REDIS_PREFIX: 'news:prod',
      RATE_LIMITS: 'off',
      MAX_SOCKETS_PER_ADDRESS: '50',
      ALLOWED_ORIGINS: 'https://news.example.com, https://www.example.com/',
      EMBED_ORIGINS: 'https://blog.example.org',
      EMBED_SECRET: 'embed-secret-0123456789-embed-secret',
      EMBED_THREAD_URLS: 'https://blog.example.org/20*/**',
      TRUST_PROXY: '1',
      SHUTDOWN_GRACE_MS: '30000',
      SHUTDOWN_DRAIN_MS: '5000',
      METRICS_TOKEN: 'metrics-token-0123456789',
      PAGE_CACHE_COMMENTS: '5000',
      PAGE_HTML_CACHE_MB: '16',
      SIGNIN_HASH_WORKERS: '2',
      SIGNIN_HASH_QUEUE: '20',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'text',
      RATE_LIMIT_POSTS: '5/30',
      RATE_LIMIT_REPORTS: '3/60',
      RATE_LIMIT_LOGIN_ADDRESS: '20/600',
      RATE_LIMIT_LOGIN_FAILURES: '10/600',
      RATE_LIMIT_LOGIN_HASHES: '30/60',
      RATE_LIMIT_TYPING: '2/4',
      RATE_LIMIT_SOCKET_EVENTS: '50/5',
      RATE_LIMIT_HTTP_WRITES: 'off',
      RATE_LIMIT_POSTS_ADDRESS: '30/60',
      RATE_LIMIT_LIKES_ADDRESS: '300/60',
      RATE_LIMIT_REPORTS_ADDRESS: '20/60',
      RATE_LIMIT_SOCKET_EVENTS_ADDRESS: '500/10',
      RATE_LIMIT_SOCKET_HANDSHAKES: '120/60',
      WEBHOOK_URLS: 'https://mod.example.com/hook, http://10.0.0.5:8080/threadline',
      WEBHOOK_SECRET: SECRET,
      COMMENT_POLICY: 'guests-premoderated',
      NEW_ACCOUNT_HOLD: '2',
      REVIEW_AFTER_REJECTIONS: '4/14',
      SPAM_CHECKS: 'on',
      SPAM_LINKS_FIRST_COMMENT: 'off',
      SPAM_REPEATED_TEXT: '5/600',
      SPAM_NEW_GUESTS: 'off',
      SPAM_CHECK_URL: 'https://rest.akismet.com',
      SPAM_CHECK_KEY: 'abc123def456',
      SPAM_CHECK_TIMEOUT_MS: '800',
      SSO_SECRET: SECRET,
      SSO_JWKS_URL: 'https://news.example.com/.well-known/jwks.json',
      SSO_ISSUER: 'https://news.example.com',
      SSO_AUDIENCE: 'threadline',
      SMTP_URL: 'smtps://mailer:pw@mail.example.com:465',
      MAIL_FROM: 'comments@news.example.com',
      PUBLIC_URL: 'https://comments.example.com',
      SITE_NAME: 'News Example',
      SITE_ADDRESS: 'News Example Ltd, 1 Main Street, 12345 Town',
      MAIL_BATCH_SECONDS: '120',
      DIGEST_HOUR_UTC: '6',
      QUEUE_ALERT_MINUTES: '45',
      RATE_LIMIT_EMAIL_LINKS: '2/600',
      TEST_PROTOCOL_VERSION: '2',
      TEST_SEQ_SYNC_MS: '3600000',
      COMMENTS_CLOSE_AFTER_DAYS: '30',
      THREAD_CLOSING_POLL_MS: '1000',
    });
    assert.deepEqual(config, {
      dev: false,
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://app@db:5432/threadline',
      redisUrl: 'rediss://cache:6380',
      redisClusterNodes: undefined,
      redisAdapter: 'classic',
      dataDir: '/var/lib/threadline',
      sessionSecret: SECRET,
      seedsDir: '/srv/seeds',
      redisPrefix: 'news:prod',
      rateLimits: false,
      maxSocketsPerAddress: 50,
      allowedOrigins: ['https://news.example.com', 'https://www.example.com'],
      embedOrigins: ['https://blog.example.org'],
      embedSecret: 'embed-secret-0123456789-embed-secret',
      embedThreadUrls: [parseThreadUrlPattern('https://blog.example.org/20*/**')],
      trustProxy: true,
      shutdownGraceMs: 30_000,
      shutdownDrainMs: 5000,
      metricsToken: 'metrics-token-0123456789',
      pageCacheComments: 5000,
      pageHtmlCacheMb: 16,
      signinHashWorkers: 2,
      signinHashQueue: 20,
      logLevel: 'debug',
      logFormat: 'text',
      limits: {
        posts: { points: 5, durationSeconds: 30 },
        reports: { points: 3, durationSeconds: 60 },
        loginAddress: { points: 20, durationSeconds: 600 },
        loginFailures: { points: 10, durationSeconds: 600 },
        loginHashes: { points: 30, durationSeconds: 60 },
        typing: { points: 2, durationSeconds: 4 },
        socketEvents: { points: 50, durationSeconds: 5 },
        httpWrites: 'off',
        postsAddress: { points: 30, durationSeconds: 60 },
        likesAddress: { points: 300, durationSeconds: 60 },
        reportsAddress: { points: 20, durationSeconds: 60 },
        socketEventsAddress: { points: 500, durationSeconds: 10 },
        socketHandshakes: { points: 120, durationSeconds: 60 },
        emailLinks: { points: 2, durationSeconds: 600 },
      },
      webhookUrls: ['https://mod.example.com/hook', 'http://10.0.0.5:8080/threadline'],
      webhookSecret: SECRET,
      commentPolicy: 'guests-premoderated',
      newAccountHold: 2,
      reviewAfterRejections: { rejections: 4, rejectionWindowDays: 14 },
      spamChecks: true,
      notifications: true,
      spamLinksFirstComment: false,
      spamRepeatedText: { count: 5, windowSeconds: 600 },
      spamNewGuests: 'off',
      spamCheckUrl: 'https://rest.akismet.com',
      spamCheckKey: 'abc123def456',
      spamCheckTimeoutMs: 800,
      ssoSecret: SECRET,
      ssoJwksUrl: 'https://news.example.com/.well-known/jwks.json',
      ssoIssuer: 'https://news.example.com',
      ssoAudience: 'threadline',
      smtpUrl: 'smtps://mailer:pw@mail.example.com:465',
      mailFrom: 'comments@news.example.com',
      publicUrl: 'https://comments.example.com',
      siteName: 'News Example',
      siteAddress: 'News Example Ltd, 1 Main Street, 12345 Town',
      mailBatchSeconds: 120,
      digestHourUtc: 6,
      queueAlertMinutes: 45,
      testProtocolVersion: 2,
      testSeqSyncMs: 3_600_000,
      oidcProviders: [],
      commentsCloseAfterDays: 30,
      threadClosingPollMs: 1000,
    });
  });

  test('NODE_ENV=development turns on dev mode; other values do not', () => {
    assert.equal(load({ NODE_ENV: 'development' }).dev, true);
    assert.equal(load({ NODE_ENV: 'production' }).dev, false);
    assert.equal(load({ NODE_ENV: 'test' }).dev, false);
  });

  test('both postgres: and postgresql:, redis: and rediss: are accepted', () => {
    assert.equal(load({ DATABASE_URL: 'postgres://u@h/db', SESSION_SECRET: SECRET }).databaseUrl, 'postgres://u@h/db');
    assert.equal(load({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl, 'redis://127.0.0.1:6379');
  });
});

describe('loadConfig: comment policy and trust', () => {
  test('COMMENT_POLICY, NEW_ACCOUNT_HOLD and REVIEW_AFTER_REJECTIONS are read', () => {
    const config = load({ COMMENT_POLICY: 'accounts', NEW_ACCOUNT_HOLD: '2', REVIEW_AFTER_REJECTIONS: '5/7' });
    assert.deepEqual([config.commentPolicy, config.newAccountHold, config.reviewAfterRejections], ['accounts', 2, { rejections: 5, rejectionWindowDays: 7 }]);
    assert.deepEqual(load({ REVIEW_AFTER_REJECTIONS: 'off' }).reviewAfterRejections.rejections, 0);
  });

  test('bad values are named', () => {
    assert.deepEqual(named({ COMMENT_POLICY: 'everyone' }), ['COMMENT_POLICY']);
    assert.deepEqual(named({ NEW_ACCOUNT_HOLD: '-1' }), ['NEW_ACCOUNT_HOLD']);
    assert.deepEqual(named({ NEW_ACCOUNT_HOLD: '500' }), ['NEW_ACCOUNT_HOLD']);
    assert.deepEqual(named({ REVIEW_AFTER_REJECTIONS: '3' }), ['REVIEW_AFTER_REJECTIONS']);
    assert.deepEqual(named({ REVIEW_AFTER_REJECTIONS: '0/30' }), ['REVIEW_AFTER_REJECTIONS']);
  });
});

describe('loadConfig: Redis fan-out (one Redis or a Redis Cluster)', () => {
  test('REDIS_ADAPTER picks the adapter; classic by default on one Redis', () => {
    const settings = (env: Env) => redisSettings(load(env));
    assert.deepEqual(settings({ REDIS_URL: 'redis://r:6379' }), { url: 'redis://r:6379', prefix: 'threadline', adapter: 'classic' });
    assert.deepEqual(settings({ REDIS_URL: 'redis://r:6379', REDIS_ADAPTER: 'sharded' }), { url: 'redis://r:6379', prefix: 'threadline', adapter: 'sharded' });
    assert.equal(settings({}), undefined);
  });

  test('REDIS_CLUSTER_NODES: seed masters of a cluster, sharded by default', () => {
    const config = load({ REDIS_CLUSTER_NODES: ' redis://10.0.0.1:7000 , rediss://:pw@10.0.0.2:7001,' });
    assert.deepEqual(config.redisClusterNodes, ['redis://10.0.0.1:7000', 'rediss://:pw@10.0.0.2:7001']);
    assert.deepEqual(redisSettings(config), { clusterNodes: config.redisClusterNodes, prefix: 'threadline', adapter: 'sharded' });
  });

  test('a cluster with the classic adapter, both endpoints, or bad values are refused by name', () => {
    assert.deepEqual(named({ REDIS_CLUSTER_NODES: 'redis://a:1', REDIS_ADAPTER: 'classic' }), ['REDIS_ADAPTER']);
    assert.deepEqual(named({ REDIS_CLUSTER_NODES: 'redis://a:1', REDIS_URL: 'redis://b:2' }), ['REDIS_CLUSTER_NODES']);
    assert.deepEqual(named({ REDIS_CLUSTER_NODES: 'a:1,b:2' }), ['REDIS_CLUSTER_NODES']);
    assert.deepEqual(named({ REDIS_CLUSTER_NODES: ',' }), ['REDIS_CLUSTER_NODES']);
    assert.deepEqual(named({ REDIS_ADAPTER: 'fast' }), ['REDIS_ADAPTER']);
  });

  test('cluster URLs (which may hold a password) are never echoed', () => {
    assert.ok(problems({ REDIS_CLUSTER_NODES: 'secret-pw' }).every((p) => !p.includes('secret-pw')));
  });
});

describe('loadConfig: bad values name their variable', () => {
  for (const port of ['abc', '70000', '3.5', '-1']) {
    test(`PORT=${port}`, () => {
      assert.deepEqual(named({ PORT: port }), ['PORT']);
    });
  }

  test('PORT at the edges of the range is accepted', () => {
    assert.equal(load({ PORT: '65535' }).port, 65535);
    assert.equal(load({ PORT: '1' }).port, 1);
  });

  test('a blank PORT does not silently become port 0', () => {
    // Number('  ') is 0, which would make the server listen on a random port.
    let port: number | undefined;
    try {
      port = load({ PORT: '  ' }).port;
    } catch (err) {
      assert.ok(err instanceof ConfigError && err.problems.some((p) => p.startsWith('PORT:')), String(err));
      return;
    }
    assert.equal(port, 3000, 'a blank PORT should either be rejected or mean the default');
  });

  for (const url of ['mysql://x', 'not a url', 'http://db:5432/x']) {
    test(`DATABASE_URL=${url}`, () => {
      assert.deepEqual(named({ DATABASE_URL: url, SESSION_SECRET: SECRET }), ['DATABASE_URL']);
    });
  }

  test('REDIS_URL=http://x', () => {
    assert.deepEqual(named({ REDIS_URL: 'http://x' }), ['REDIS_URL']);
  });

  test('NODE_ENV outside development/production/test', () => {
    assert.deepEqual(named({ NODE_ENV: 'staging' }), ['NODE_ENV']);
  });

  test('DATABASE_URL without SESSION_SECRET', () => {
    // Several nodes share one database; each would otherwise generate its own secret.
    assert.deepEqual(named({ DATABASE_URL: 'postgres://u@h/db' }), ['SESSION_SECRET']);
  });

  test('SESSION_SECRET shorter than 32 characters', () => {
    assert.deepEqual(named({ SESSION_SECRET: 's'.repeat(31) }), ['SESSION_SECRET']);
    assert.equal(load({ SESSION_SECRET: SECRET }).sessionSecret, SECRET);
  });

  test('WEBHOOK_URLS needs WEBHOOK_SECRET (at least 32 characters); bad URLs are refused by name, never echoed', () => {
    assert.deepEqual(named({ WEBHOOK_URLS: 'https://mod.example.com/hook' }), ['WEBHOOK_SECRET']);
    assert.deepEqual(named({ WEBHOOK_URLS: 'https://mod.example.com/hook', WEBHOOK_SECRET: 'short' }), ['WEBHOOK_SECRET']);
    const secretUrl = 'ftp://mod.example.com/hooks/T0KEN';
    const refused = problems({ WEBHOOK_URLS: secretUrl, WEBHOOK_SECRET: SECRET });
    assert.deepEqual(refused.map((p) => p.slice(0, p.indexOf(':'))), ['WEBHOOK_URLS']);
    assert.ok(!refused.join('\n').includes('T0KEN'), 'a webhook URL may hold a token: never echoed');
    // A secret alone (no receivers) is fine: nothing is sent.
    assert.deepEqual(load({ WEBHOOK_SECRET: SECRET }).webhookUrls, []);
  });

  test('SMTP_URL needs MAIL_FROM and PUBLIC_URL; the URL (it holds the password) is never echoed', () => {
    assert.deepEqual(named({ SMTP_URL: 'smtp://127.0.0.1:2525' }), ['MAIL_FROM', 'PUBLIC_URL']);
    const config = load({ SMTP_URL: 'smtps://u:pw@mail.example.com', MAIL_FROM: 'Comments <c@news.example.com>', PUBLIC_URL: 'https://Comments.example.com/' });
    assert.equal(config.publicUrl, 'https://comments.example.com');
    const refused = problems({ SMTP_URL: 'http://u:S3CRET@mail.example.com', MAIL_FROM: 'nobody', PUBLIC_URL: 'https://c.example.com/comments' });
    assert.deepEqual(refused.map((p) => p.slice(0, p.indexOf(':'))), ['SMTP_URL', 'MAIL_FROM', 'PUBLIC_URL']);
    assert.ok(!refused.join('\n').includes('S3CRET'), 'the SMTP URL is not echoed');
  });

  test('email for notices: on with SMTP_URL and SITE_ADDRESS; its timings checked by name; settings without SMTP_URL refused', () => {
    const smtp = { SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'c@news.example.com', PUBLIC_URL: 'https://comments.example.com' };
    assert.equal(mailSettings(load(smtp)), undefined, 'SMTP_URL alone: sign-in links only');
    assert.deepEqual(mailSettings(load({ ...smtp, SITE_ADDRESS: ' News Ltd, 1 Main St, Town ' })), {
      site: { name: 'comments.example.com', address: 'News Ltd, 1 Main St, Town', publicUrl: 'https://comments.example.com' },
      batchMs: 300_000,
      digestHourUtc: 7,
      queueAlertMs: null,
    });
    const set = mailSettings(load({ ...smtp, SITE_ADDRESS: 'A', SITE_NAME: 'The News', MAIL_BATCH_SECONDS: '60', DIGEST_HOUR_UTC: '23', QUEUE_ALERT_MINUTES: '30' }));
    assert.deepEqual([set?.site.name, set?.batchMs, set?.digestHourUtc, set?.queueAlertMs], ['The News', 60_000, 23, 1_800_000]);
    assert.deepEqual(named({ ...smtp, SITE_ADDRESS: 'A', MAIL_BATCH_SECONDS: '5', DIGEST_HOUR_UTC: '24', QUEUE_ALERT_MINUTES: '0' }), ['MAIL_BATCH_SECONDS', 'DIGEST_HOUR_UTC', 'QUEUE_ALERT_MINUTES']);
    assert.deepEqual(named({ ...smtp, SITE_ADDRESS: 'line one\nline two', SITE_NAME: '' }), ['SITE_ADDRESS']);
    assert.deepEqual(named({ SITE_ADDRESS: 'A', QUEUE_ALERT_MINUTES: '30' }), ['SITE_ADDRESS', 'QUEUE_ALERT_MINUTES']);
  });

  test('SPAM_CHECK_URL and SPAM_CHECK_KEY go together; bad spam settings are refused by name, the URL and key never echoed', () => {
    assert.deepEqual(named({ SPAM_CHECK_URL: 'https://rest.akismet.com' }), ['SPAM_CHECK_KEY']);
    assert.deepEqual(named({ SPAM_CHECK_KEY: 'abc123def456' }), ['SPAM_CHECK_URL']);
    const refused = problems({ SPAM_CHECK_URL: 'ftp://spam.example/T0KEN', SPAM_CHECK_KEY: 'has spaces S3CRET' });
    assert.deepEqual(refused.map((p) => p.slice(0, p.indexOf(':'))), ['SPAM_CHECK_URL', 'SPAM_CHECK_KEY']);
    assert.ok(!/T0KEN|S3CRET/.test(refused.join('\n')), 'neither the URL (it may hold a token) nor the key is echoed');
    assert.deepEqual(named({ SPAM_CHECKS: 'no', SPAM_LINKS_FIRST_COMMENT: 'yes', SPAM_REPEATED_TEXT: '0/60', SPAM_NEW_GUESTS: '30', SPAM_CHECK_TIMEOUT_MS: '0' }), [
      'SPAM_CHECKS',
      'SPAM_LINKS_FIRST_COMMENT',
      'SPAM_REPEATED_TEXT',
      'SPAM_NEW_GUESTS',
      'SPAM_CHECK_TIMEOUT_MS',
    ]);
    assert.match(problems({ SPAM_NEW_GUESTS: '30' })[0]!, /expected <guests>\/<seconds> such as 2\/3600, or off \(got "30"\)/);
    assert.equal(load({ SPAM_CHECKS: 'off' }).spamChecks, false);
    assert.equal(load({ NOTIFICATIONS: 'off' }).notifications, false);
    assert.equal(load({}).notifications, true);
  });

  test('a rejected SESSION_SECRET is not echoed into the error, which goes to the log', () => {
    const secret = 'correct-horse-battery-staple';
    const message = problems({ SESSION_SECRET: secret }).join('\n');
    assert.ok(!message.includes(secret), `the error reveals the secret: ${message}`);
  });
});

describe('loadConfig: several problems at once', () => {
  test('every bad variable is reported in one error', () => {
    const env = { PORT: 'abc', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x', SESSION_SECRET: 'short' };
    assert.deepEqual(named(env).sort(), ['DATABASE_URL', 'PORT', 'REDIS_URL', 'SESSION_SECRET']);
  });

  test('a missing SESSION_SECRET is reported together with other bad variables', () => {
    // Otherwise the operator fixes PORT, restarts, and only then learns of the next problem.
    assert.deepEqual(named({ PORT: 'abc', DATABASE_URL: 'postgres://u@h/db' }).sort(), ['PORT', 'SESSION_SECRET']);
  });
});

describe('loadConfig: fan-out and limits', () => {
  test('RATE_LIMITS=off lifts the limits; anything but on/off is refused by name', () => {
    assert.equal(load({ RATE_LIMITS: 'off' }).rateLimits, false);
    assert.equal(load({ RATE_LIMITS: 'on' }).rateLimits, true);
    assert.deepEqual(named({ RATE_LIMITS: 'maybe' }), ['RATE_LIMITS']);
  });

  test('a RATE_LIMIT_* variable is <points>/<seconds> or off; a bad one is refused by name, with its value', () => {
    assert.deepEqual(load({ RATE_LIMIT_POSTS: '10/60' }).limits, { posts: { points: 10, durationSeconds: 60 } });
    assert.deepEqual(load({ RATE_LIMIT_SOCKET_EVENTS: 'off' }).limits, { socketEvents: 'off' });
    assert.deepEqual(load({ RATE_LIMIT_POSTS: '' }).limits, {}, 'empty means unset: the default');
    for (const bad of ['10', '10/', '/60', '0/60', '10/0', 'ten/60', '10/60s', '-1/60', '1.5/60', 'OFF']) {
      assert.deepEqual(named({ RATE_LIMIT_POSTS: bad }), ['RATE_LIMIT_POSTS'], bad);
    }
    assert.match(problems({ RATE_LIMIT_TYPING: '0/2' })[0]!, /RATE_LIMIT_TYPING: .*got "0\/2"/);
  });

  test('MAX_SOCKETS_PER_ADDRESS is a number of connections or off; a bad one is refused by name, with its value', () => {
    assert.equal(load({}).maxSocketsPerAddress, undefined, 'unset: the default (lib/services/limits.ts)');
    assert.equal(load({ MAX_SOCKETS_PER_ADDRESS: '2000' }).maxSocketsPerAddress, 2000);
    assert.equal(load({ MAX_SOCKETS_PER_ADDRESS: 'off' }).maxSocketsPerAddress, 'off');
    for (const bad of ['0', '-1', '1.5', 'many', '10/60', '012']) {
      assert.match(problems({ MAX_SOCKETS_PER_ADDRESS: bad })[0]!, new RegExp(`^MAX_SOCKETS_PER_ADDRESS: expected a number of connections \\(1 or more\\), or off \\(got "${bad.replace('.', '\\.')}"\\)$`), bad);
    }
    assert.deepEqual(named({ RATE_LIMIT_POSTS_ADDRESS: '100' }), ['RATE_LIMIT_POSTS_ADDRESS']);
  });

  test('SIGNIN_HASH_WORKERS is 1 to 16 and SIGNIN_HASH_QUEUE 0 or more; bad values are refused by name', () => {
    assert.deepEqual([load({}).signinHashWorkers, load({}).signinHashQueue], [1, 8]);
    assert.equal(load({ SIGNIN_HASH_QUEUE: '0' }).signinHashQueue, 0, 'no queue: a sign-in waits for nothing');
    for (const bad of ['0', '17', '-1', 'two', '1.5']) assert.deepEqual(named({ SIGNIN_HASH_WORKERS: bad }), ['SIGNIN_HASH_WORKERS'], bad);
    for (const bad of ['-1', 'many', '10000']) assert.deepEqual(named({ SIGNIN_HASH_QUEUE: bad }), ['SIGNIN_HASH_QUEUE'], bad);
  });

  test('RATE_LIMIT_LOGIN_USERNAME, which let anyone lock the owner out, is refused with what replaced it', () => {
    assert.deepEqual(named({ RATE_LIMIT_LOGIN_USERNAME: '5/60' }), ['RATE_LIMIT_LOGIN_USERNAME']);
    assert.match(problems({ RATE_LIMIT_LOGIN_USERNAME: '5/60' })[0]!, /RATE_LIMIT_LOGIN_FAILURES/);
  });

  test('TEST_PROTOCOL_VERSION (tests only) is a whole number from 1; unset, the build\'s own version is announced', () => {
    assert.equal(load({}).testProtocolVersion, undefined);
    assert.equal(load({ TEST_PROTOCOL_VERSION: '3' }).testProtocolVersion, 3);
    for (const bad of ['0', '-1', '1.5', 'two', '01']) assert.deepEqual(named({ TEST_PROTOCOL_VERSION: bad }), ['TEST_PROTOCOL_VERSION'], bad);
    assert.match(problems({ TEST_PROTOCOL_VERSION: 'two' })[0]!, /got "two"/);
  });

  test('TEST_SEQ_SYNC_MS (tests only) is a whole number of milliseconds from 1; unset, the heartbeat is every 10 s', () => {
    assert.equal(load({}).testSeqSyncMs, undefined);
    assert.equal(load({ TEST_SEQ_SYNC_MS: '3600000' }).testSeqSyncMs, 3_600_000);
    for (const bad of ['0', '-1', '1.5', 'an hour']) assert.deepEqual(named({ TEST_SEQ_SYNC_MS: bad }), ['TEST_SEQ_SYNC_MS'], bad);
  });

  test('REDIS_PREFIX keeps deployments apart and must be a plain key', () => {
    assert.equal(load({ REDIS_PREFIX: 'run-42' }).redisPrefix, 'run-42');
    assert.deepEqual(named({ REDIS_PREFIX: 'has space' }), ['REDIS_PREFIX']);
  });
});

describe('loadConfig: who may talk to the server', () => {
  test('ALLOWED_ORIGINS is a comma-separated list of bare origins, normalized as browsers send them', () => {
    assert.deepEqual(load({ ALLOWED_ORIGINS: 'HTTPS://News.Example.com:443,http://localhost:8080,' }).allowedOrigins, ['https://news.example.com', 'http://localhost:8080']);
  });

  test('an origin with a path, a query, credentials, another scheme or a wildcard is refused by name (and shown)', () => {
    for (const bad of ['https://a.example/path', 'https://a.example/?q', 'https://u:p@a.example', 'ftp://a.example', '*', 'a.example', 'null']) {
      const found = problems({ ALLOWED_ORIGINS: `https://ok.example,${bad}` });
      assert.equal(found.length, 1, bad);
      assert.ok(found[0]!.startsWith('ALLOWED_ORIGINS: '), found[0]);
      assert.ok(found[0]!.includes(JSON.stringify(bad)), `${found[0]} names ${bad}`);
    }
  });

  test('EMBED_ORIGINS is checked like ALLOWED_ORIGINS and empty by default (no site may frame the embed)', () => {
    assert.deepEqual(load({}).embedOrigins, []);
    assert.deepEqual(load({ EMBED_ORIGINS: 'https://Blog.Example.org:443, http://127.0.0.1:8080' }).embedOrigins, ['https://blog.example.org', 'http://127.0.0.1:8080']);
    const found = problems({ EMBED_ORIGINS: 'https://blog.example.org/articles' });
    assert.equal(found.length, 1);
    assert.ok(found[0]!.startsWith('EMBED_ORIGINS: ') && found[0]!.includes('"https://blog.example.org/articles"'), found[0]);
  });

  test('EMBED_SECRET: at least 32 characters, never echoed; unset by default (no token opens a thread)', () => {
    assert.equal(load({}).embedSecret, undefined);
    assert.equal(load({ EMBED_SECRET: 's'.repeat(32) }).embedSecret, 's'.repeat(32));
    const found = problems({ EMBED_SECRET: 'short-secret-value' });
    assert.deepEqual(found, ['EMBED_SECRET: must be at least 32 characters (value not shown)']);
  });

  test('EMBED_THREAD_URLS: comma-separated patterns on sites EMBED_ORIGINS lists; none by default; a bad one is named', () => {
    assert.deepEqual(load({}).embedThreadUrls, []);
    const env = { EMBED_ORIGINS: 'https://news.example.com', EMBED_THREAD_URLS: 'https://news.example.com/articles/*, https://news.example.com/live/**' };
    const patterns = load(env).embedThreadUrls;
    assert.deepEqual(patterns.map((p) => p.source), ['https://news.example.com/articles/*', 'https://news.example.com/live/**']);
    assert.ok(matchThreadUrl(patterns, 'https://news.example.com/live/2026/11/election'));
    assert.equal(matchThreadUrl(patterns, 'https://news.example.com/articles/a/b'), null);
    const bad = problems({ EMBED_ORIGINS: 'https://news.example.com', EMBED_THREAD_URLS: 'https://news.example.com/a/*, news.example.com/b' });
    assert.equal(bad.length, 1);
    assert.match(bad[0]!, /^EMBED_THREAD_URLS: "news\.example\.com\/b": expected an absolute http:\/\/ or https:\/\/ address/);
    assert.deepEqual(problems({ EMBED_ORIGINS: 'https://news.example.com', EMBED_THREAD_URLS: 'https://news.example.com/a?id=*' }).length, 1);
    assert.deepEqual(problems({ EMBED_ORIGINS: 'https://news.example.com', EMBED_THREAD_URLS: 'https://other.example/a/*' }), [
      'EMBED_THREAD_URLS: "https://other.example/a/*" is on https://other.example, which EMBED_ORIGINS does not list (its pages could not frame the embed)',
    ]);
  });

  test('TRUST_PROXY is 1/true or 0/false, off by default', () => {
    assert.equal(load({}).trustProxy, false);
    assert.equal(load({ TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(load({ TRUST_PROXY: '0' }).trustProxy, false);
    assert.deepEqual(named({ TRUST_PROXY: 'yes please' }), ['TRUST_PROXY']);
  });
});

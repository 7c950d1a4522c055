/**
 * What `npm test` must do before it can run, decided from what was found on
 * the machine (facts in, steps out; no side effects, so every branch is tested
 * in plan.test.ts). provision.ts finds the facts and carries the steps out.
 */

/** A TCP endpoint a service is expected on, from its URL. */
export interface Endpoint {
  host: string;
  port: number;
}

/** A PostgreSQL cluster as `pg_lsclusters` lists it (Debian's postgresql-common). */
export interface PgCluster {
  version: string;
  name: string;
  port: number;
  online: boolean;
}

export interface Facts {
  /** Root may start the system's clusters and install packages. */
  root: boolean;
  aptGet: boolean;
  postgres: Endpoint & {
    answers: boolean;
    /** undefined: pg_lsclusters is not there (PostgreSQL is not installed the Debian way). */
    clusters: PgCluster[] | undefined;
  };
  redis: Endpoint & {
    answers: boolean;
    /** The redis-server program, when installed. */
    server: string | undefined;
  };
  /** undefined when the run does not need a browser (`--faults`). */
  chromium: { path: string; present: boolean; isDebianPath: boolean } | undefined;
  /** Found where the tests look for it (server/testing/nginx.ts, findNginx); undefined when the run does not need it (`--faults`). */
  nginx: { present: boolean } | undefined;
  /** Where a Redis started for the tests keeps its log (it writes no data: no snapshots, no AOF). */
  tmpDir: string;
}

export type Step =
  /** Start a service in the background, then wait until `endpoint` accepts connections. */
  | { kind: 'start'; what: string; command: string[]; endpoint: Endpoint }
  /** `apt-get install` Debian's package. */
  | { kind: 'install'; what: string; package: string }
  /** Cannot be done from here: the message says what to do instead. */
  | { kind: 'cannot'; what: string; message: string };

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function isLocal(endpoint: Endpoint): boolean {
  return LOCAL_HOSTS.has(endpoint.host);
}

function where(endpoint: Endpoint): string {
  return `${endpoint.host}:${endpoint.port}`;
}

function postgresStep(facts: Facts): Step | undefined {
  const pg = facts.postgres;
  if (pg.answers) return undefined;
  const what = `PostgreSQL on ${where(pg)}`;
  if (!isLocal(pg)) return { kind: 'cannot', what, message: `PostgreSQL does not answer on ${where(pg)}, which is not this machine: start it there, or point TEST_PG_ADMIN_URL at one that runs.` };
  if (!facts.postgres.clusters) {
    return {
      kind: 'cannot',
      what,
      message: `PostgreSQL is not installed: install it (Debian: apt-get install postgresql) and let user postgres in from 127.0.0.1 without a password (trust in pg_hba.conf), or point TEST_PG_ADMIN_URL at one that runs.`,
    };
  }
  const cluster = facts.postgres.clusters.find((c) => c.port === pg.port);
  if (!cluster) {
    const listed = facts.postgres.clusters.map((c) => `${c.version}/${c.name} on port ${c.port}`).join(', ') || 'none';
    return { kind: 'cannot', what, message: `no PostgreSQL cluster of this machine uses port ${pg.port} (clusters: ${listed}): create one, or point TEST_PG_ADMIN_URL at a port that answers.` };
  }
  const id = `${cluster.version}/${cluster.name}`;
  if (cluster.online) return { kind: 'cannot', what, message: `PostgreSQL ${id} is running but does not accept connections on ${where(pg)}: check listen_addresses in its postgresql.conf.` };
  const command = ['pg_ctlcluster', '--skip-systemctl-redirect', cluster.version, cluster.name, 'start'];
  if (!facts.root) return { kind: 'cannot', what, message: `PostgreSQL ${id} is installed but stopped, and only root may start it: run \`sudo ${command.join(' ')}\`.` };
  return { kind: 'start', what, command, endpoint: { host: pg.host, port: pg.port } };
}

function redisStep(facts: Facts): Step | undefined {
  const redis = facts.redis;
  if (redis.answers) return undefined;
  const what = `Redis on ${where(redis)}`;
  if (!isLocal(redis)) return { kind: 'cannot', what, message: `Redis does not answer on ${where(redis)}, which is not this machine: start it there, or point TEST_REDIS_URL at one that runs.` };
  if (!redis.server) return { kind: 'cannot', what, message: `Redis is not installed: install it (Debian: apt-get install redis-server), or point TEST_REDIS_URL at one that runs.` };
  // As .ci/run did: a throwaway instance that keeps nothing on disk (the tests delete their own keys).
  const command = [
    redis.server,
    '--daemonize', 'yes',
    '--bind', '127.0.0.1', '-::1',
    '--port', String(redis.port),
    '--save', '',
    '--appendonly', 'no',
    '--dir', facts.tmpDir,
    '--logfile', `${facts.tmpDir}/threadline-test-redis-${redis.port}.log`,
  ];
  return { kind: 'start', what, command, endpoint: { host: redis.host === 'localhost' ? '127.0.0.1' : redis.host, port: redis.port } };
}

/** Debian's packages that are missing: installed when this user may, else the command to run. */
function packageSteps(facts: Facts): Step[] {
  const wanted: { pkg: string; what: string }[] = [];
  const steps: Step[] = [];
  const chromium = facts.chromium;
  if (chromium && !chromium.present) {
    if (chromium.isDebianPath) wanted.push({ pkg: 'chromium', what: 'Chromium (the e2e tests)' });
    else steps.push({ kind: 'cannot', what: 'Chromium', message: `CHROMIUM_PATH is ${chromium.path}, which does not exist: correct it, or unset it to use Debian's /usr/bin/chromium.` });
  }
  // The tests fall back to Debian's /usr/sbin/nginx whatever NGINX_PATH says, so the package is always the cure.
  if (facts.nginx && !facts.nginx.present) wanted.push({ pkg: 'nginx', what: 'nginx (the deployment tests)' });
  for (const { pkg, what } of wanted) {
    if (facts.root && facts.aptGet) steps.push({ kind: 'install', what, package: pkg });
    else if (facts.aptGet) steps.push({ kind: 'cannot', what, message: `${what} is missing, and installing needs root: run \`sudo apt-get install -y ${pkg}\`.` });
    else steps.push({ kind: 'cannot', what, message: `${what} is missing, and this is not a Debian-like system (no apt-get): install ${pkg} from your system's packages${pkg === 'chromium' ? ' and set CHROMIUM_PATH to it' : ''}.` });
  }
  return steps;
}

/** The steps, in order: services first (seconds), then packages (a download). */
export function planPrerequisites(facts: Facts): Step[] {
  return [postgresStep(facts), redisStep(facts), ...packageSteps(facts)].filter((s): s is Step => s !== undefined);
}

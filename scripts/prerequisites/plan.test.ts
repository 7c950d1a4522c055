import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planPrerequisites, type Facts, type Step } from './plan';

/** A machine where everything is ready; each test changes what it is about. */
function facts(change: (f: Facts) => void = () => {}): Facts {
  const f: Facts = {
    root: true,
    aptGet: true,
    postgres: { host: '127.0.0.1', port: 5432, answers: true, clusters: [{ version: '15', name: 'main', port: 5432, online: true }] },
    redis: { host: '127.0.0.1', port: 6379, answers: true, server: '/usr/bin/redis-server' },
    chromium: { path: '/usr/bin/chromium', present: true, isDebianPath: true },
    nginx: { present: true },
    tmpDir: '/tmp',
  };
  change(f);
  return f;
}

function only(steps: Step[]): Step {
  assert.equal(steps.length, 1, JSON.stringify(steps));
  return steps[0]!;
}

function cannot(steps: Step[]): string {
  const step = only(steps);
  assert.equal(step.kind, 'cannot', JSON.stringify(step));
  return step.kind === 'cannot' ? step.message : '';
}

test('nothing to do when every service answers and every program is there', () => {
  assert.deepEqual(planPrerequisites(facts()), []);
});

test('a stopped local PostgreSQL cluster on the wanted port is started by root, as .ci/run did', () => {
  const step = only(planPrerequisites(facts((f) => ((f.postgres.answers = false), (f.postgres.clusters = [{ version: '15', name: 'main', port: 5432, online: false }])))));
  assert.deepEqual(step, {
    kind: 'start',
    what: 'PostgreSQL on 127.0.0.1:5432',
    command: ['pg_ctlcluster', '--skip-systemctl-redirect', '15', 'main', 'start'],
    endpoint: { host: '127.0.0.1', port: 5432 },
  });
});

test('the cluster started is the one on the wanted port', () => {
  const step = only(
    planPrerequisites(
      facts((f) => {
        f.postgres.answers = false;
        f.postgres.port = 5433;
        f.postgres.clusters = [
          { version: '15', name: 'main', port: 5432, online: true },
          { version: '16', name: 'tests', port: 5433, online: false },
        ];
      }),
    ),
  );
  assert.equal(step.kind === 'start' && step.command.join(' '), 'pg_ctlcluster --skip-systemctl-redirect 16 tests start');
});

test('without root, a stopped cluster is not started: the message gives the command', () => {
  const message = cannot(planPrerequisites(facts((f) => ((f.root = false), (f.postgres.answers = false), (f.postgres.clusters = [{ version: '15', name: 'main', port: 5432, online: false }])))));
  assert.match(message, /only root may start it: run `sudo pg_ctlcluster --skip-systemctl-redirect 15 main start`/);
});

test('PostgreSQL that cannot be started here is named with what to do', () => {
  assert.match(cannot(planPrerequisites(facts((f) => ((f.postgres.answers = false), (f.postgres.clusters = undefined))))), /PostgreSQL is not installed: .*apt-get install postgresql/);
  assert.match(cannot(planPrerequisites(facts((f) => ((f.postgres.answers = false), (f.postgres.port = 6543))))), /no PostgreSQL cluster of this machine uses port 6543 \(clusters: 15\/main on port 5432\)/);
  assert.match(cannot(planPrerequisites(facts((f) => ((f.postgres.answers = false), (f.postgres.host = 'db.example'))))), /db\.example:5432, which is not this machine.*TEST_PG_ADMIN_URL/);
  assert.match(cannot(planPrerequisites(facts((f) => (f.postgres.answers = false)))), /15\/main is running but does not accept connections on 127\.0\.0\.1:5432/);
});

test('a local Redis that is down is started on the wanted port, keeping nothing on disk', () => {
  const step = only(planPrerequisites(facts((f) => ((f.redis.answers = false), (f.redis.port = 6390), (f.root = false)))));
  assert.equal(step.kind, 'start');
  if (step.kind !== 'start') return;
  assert.deepEqual(step.endpoint, { host: '127.0.0.1', port: 6390 });
  assert.equal(step.command[0], '/usr/bin/redis-server');
  const args = step.command.join(' ');
  for (const expected of ['--daemonize yes', '--port 6390', "--appendonly no", '--dir /tmp', '--logfile /tmp/threadline-test-redis-6390.log']) assert.ok(args.includes(expected), `${expected} in ${args}`);
  assert.equal(step.command[step.command.indexOf('--save') + 1], '');
});

test('Redis that cannot be started here is named with what to do', () => {
  assert.match(cannot(planPrerequisites(facts((f) => ((f.redis.answers = false), (f.redis.server = undefined))))), /Redis is not installed: .*apt-get install redis-server/);
  assert.match(cannot(planPrerequisites(facts((f) => ((f.redis.answers = false), (f.redis.host = 'cache.example'))))), /cache\.example:6379, which is not this machine.*TEST_REDIS_URL/);
});

test('missing Chromium and nginx are installed from Debian\'s packages when root has apt-get', () => {
  const steps = planPrerequisites(facts((f) => ((f.chromium!.present = false), (f.nginx!.present = false))));
  assert.deepEqual(
    steps.map((s) => s.kind === 'install' && s.package),
    ['chromium', 'nginx'],
  );
});

test('without root or without apt-get, the message says exactly what to run or install', () => {
  const notRoot = planPrerequisites(facts((f) => ((f.root = false), (f.chromium!.present = false), (f.nginx!.present = false))));
  assert.deepEqual(
    notRoot.map((s) => s.kind === 'cannot' && /`(sudo apt-get install -y \w+)`/.exec(s.message)?.[1]),
    ['sudo apt-get install -y chromium', 'sudo apt-get install -y nginx'],
  );
  assert.match(cannot(planPrerequisites(facts((f) => ((f.aptGet = false), (f.nginx!.present = false))))), /no apt-get\): install nginx from your system's packages/);
});

test('a CHROMIUM_PATH that names no file is reported, not papered over by installing Debian\'s', () => {
  assert.match(cannot(planPrerequisites(facts((f) => (f.chromium = { path: '/opt/chrome/chrome', present: false, isDebianPath: false })))), /CHROMIUM_PATH is \/opt\/chrome\/chrome, which does not exist/);
});

test('a run of the fault tests only (--faults) asks for neither Chromium nor nginx', () => {
  assert.deepEqual(planPrerequisites(facts((f) => ((f.chromium = undefined), (f.nginx = undefined)))), []);
});

test('services come before packages, so a slow download does not delay the quick steps', () => {
  const steps = planPrerequisites(facts((f) => ((f.nginx!.present = false), (f.redis.answers = false), (f.postgres.answers = false), (f.postgres.clusters![0]!.online = false))));
  assert.deepEqual(
    steps.map((s) => s.what),
    ['PostgreSQL on 127.0.0.1:5432', 'Redis on 127.0.0.1:6379', 'nginx (the deployment tests)'],
  );
});

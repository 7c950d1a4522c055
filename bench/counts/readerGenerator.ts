/**
 * The counts benchmark's front-page readers, in one process: each watches the same `slugs` (a front
 * page's links), either over one live stream (`live`: GET /api/counts/live, Server-Sent Events) or by
 * polling GET /api/counts with its ETag and count.js's backoff (`poll`). Between WINDOW_START and
 * WINDOW_END it counts the messages that reached readers (a `counts` event, or a poll answered 200),
 * the requests and the bytes; then prints one result line.
 */
import http from 'node:http';
import { GENERATOR_CPU_LIMIT_PERCENT, generatorLog, readPlan, WINDOW_END_LINE, WINDOW_START_LINE } from '../common/generatorProcess';
import { sleep } from '../common/clock';
import { READERS_CHANNEL, type ReaderPlan, type ReaderResult } from './plan';

const MARK = 'event: counts';

async function main(): Promise<void> {
  const plan = readPlan<ReaderPlan>(READERS_CHANNEL.planEnv, 'npm run bench:counts');
  const query = `slugs=${plan.slugs.join(',')}`;
  let measuring = false;
  let stopped = false;
  let messages = 0;
  let requests = 0;
  let bytes = 0;
  let disconnects = 0;
  let errors = 0;
  let firstError: string | null = null;
  const fail = (err: unknown) => {
    errors += 1;
    firstError ??= err instanceof Error ? err.message : String(err);
  };
  const open: http.ClientRequest[] = [];

  function liveReader(): Promise<void> {
    return new Promise((resolve) => {
      const req = http.get(`${plan.baseUrl}/api/counts/live?${query}`, { agent: false }, (res) => {
        if (res.statusCode !== 200) {
          fail(new Error(`stream answered ${res.statusCode}`));
          res.resume();
          return resolve();
        }
        let carry = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (!measuring) return void (carry = '');
          const text = carry + chunk;
          bytes += chunk.length;
          for (let at = text.indexOf(MARK); at >= 0; at = text.indexOf(MARK, at + MARK.length)) messages += 1;
          carry = text.slice(-(MARK.length - 1));
        });
        res.once('close', () => {
          if (!stopped) disconnects += 1;
        });
        resolve();
      });
      req.on('error', (err) => {
        if (!stopped) fail(err);
        resolve();
      });
      open.push(req);
    });
  }

  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  function pollReader(): void {
    let etag: string | undefined;
    let wait = plan.pollMinMs;
    const poll = () => {
      if (stopped) return;
      const req = http.get(`${plan.baseUrl}/api/counts?${query}`, { agent, headers: etag ? { 'if-none-match': etag } : {} }, (res) => {
        let size = 0;
        res.on('data', (chunk: Buffer) => (size += chunk.length));
        res.on('end', () => {
          const changed = res.statusCode === 200;
          if (res.statusCode !== 200 && res.statusCode !== 304) fail(new Error(`poll answered ${res.statusCode}`));
          if (changed) etag = res.headers.etag;
          if (measuring) {
            requests += 1;
            bytes += size;
            if (changed) messages += 1;
          }
          // count.js's backoff: the shortest wait after a change, twice as long after none.
          wait = changed ? plan.pollMinMs : Math.min(plan.pollMaxMs, wait * 2);
          setTimeout(poll, wait).unref();
        });
      });
      req.on('error', (err) => {
        if (!stopped) fail(err);
        setTimeout(poll, wait).unref();
      });
    };
    // Readers arrive over the interval, not all at once.
    setTimeout(poll, Math.random() * plan.pollMinMs).unref();
  }

  const connectStart = performance.now();
  if (plan.mode === 'live') {
    for (let i = 0; i < plan.readers; i += plan.connectBatch) {
      await Promise.all(Array.from({ length: Math.min(plan.connectBatch, plan.readers - i) }, liveReader));
    }
  } else {
    for (let i = 0; i < plan.readers; i += 1) pollReader();
  }
  const connectSeconds = (performance.now() - connectStart) / 1000;
  // Pollers start spread over the shortest wait: measuring begins once every one of them polls at its pace.
  const warmupSeconds = plan.warmupSeconds + (plan.mode === 'poll' ? plan.pollMinMs / 1000 : 0);
  generatorLog(`${plan.readers} ${plan.mode} readers in ${connectSeconds.toFixed(1)} s; warming up ${warmupSeconds} s`);
  await sleep(warmupSeconds * 1000);

  const cpuStart = process.cpuUsage();
  const windowStart = performance.now();
  measuring = true;
  console.log(WINDOW_START_LINE);
  await sleep(plan.seconds * 1000);
  measuring = false;
  console.log(WINDOW_END_LINE);
  const windowSeconds = (performance.now() - windowStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const generatorCpuPercent = Math.round(((cpu.user + cpu.system) / 1e6 / windowSeconds) * 1000) / 10;
  stopped = true;
  for (const req of open) req.destroy();
  agent.destroy();

  const result: ReaderResult = {
    connected: plan.mode === 'live' ? open.length - errors : plan.readers,
    disconnects,
    messages,
    requests,
    bytes,
    windowSeconds,
    connectSeconds,
    generatorCpuPercent,
    generatorSaturated: generatorCpuPercent > GENERATOR_CPU_LIMIT_PERCENT,
    errors,
    firstError,
  };
  console.log(`${READERS_CHANNEL.resultPrefix}${JSON.stringify(result)}`);
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});

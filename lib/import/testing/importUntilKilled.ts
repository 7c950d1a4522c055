/**
 * For lib/import/importRuns.suite.ts: imports a Disqus file into the store named by DATABASE_URL
 * (else DATA_DIR), and SIGKILLs its own process once `KILL_AFTER` records of the file are written:
 * a run that dies while writing, between two batches, as a crash or an OOM kill would end it.
 * Usage: tsx lib/import/testing/importUntilKilled.ts FILE (with KILL_AFTER and BATCH_SIZE in the environment).
 */
import { openStore } from '../../store';
import { importFile } from '../importFile';

const file = process.argv[2];
const killAfter = Number(process.env.KILL_AFTER);
const batchSize = Number(process.env.BATCH_SIZE ?? 100);
if (!file || !Number.isInteger(killAfter)) throw new Error('usage: KILL_AFTER=n tsx lib/import/testing/importUntilKilled.ts FILE');

async function main(): Promise<void> {
  const store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? 'data' });
  await importFile({
    store,
    format: 'disqus',
    file: file!,
    batchSize,
    onProgress(progress) {
      if (progress.phase === 'writing' && progress.applied >= killAfter) process.kill(process.pid, 'SIGKILL');
    },
  });
  // Only reached if the file has fewer records than KILL_AFTER: the test then fails on the exit code.
  await store.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

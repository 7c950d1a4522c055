import { ProcessSupervisor } from './processSupervisor';

export interface BenchSession {
  /** Every child process of the run goes through this one supervisor. */
  supervisor: ProcessSupervisor;
  /**
   * Runs `cleanup` when the run ends, however it ends (Ctrl-C during a slow
   * start included), newest first and after every process has stopped.
   */
  registerCleanup(cleanup: () => Promise<void>): void;
}

/**
 * Runs a benchmark with its cleanup guaranteed: on return, on error and on
 * SIGINT/SIGTERM, every process is stopped first (nothing may hold the
 * database when it is dropped), then each registered cleanup runs once
 * (databases, Redis keys, temp folders).
 */
export async function withBenchSession<T>(log: (message: string) => void, body: (session: BenchSession) => Promise<T>): Promise<T> {
  const supervisor = new ProcessSupervisor();
  const cleanups: (() => Promise<void>)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await supervisor.stopAll();
      for (const fn of cleanups.splice(0).reverse()) await fn().catch((err: unknown) => log(`cleanup failed: ${(err as Error).message}`));
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping every process the benchmark started…`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body({ supervisor, registerCleanup: (fn) => void cleanups.push(fn) });
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Preloaded into a server by bench/memory (`node --expose-gc --require …/heapProbe.cjs`):
 * on SIGUSR2 it collects garbage (so what is left is what the connections hold,
 * not what a later GC would free) and prints one line,
 * `BENCH_MEMORY {"rss":…,"heapUsed":…,…}`, on stdout. Plain CommonJS so it
 * loads before tsx and touches nothing of the server it measures.
 */
process.on('SIGUSR2', () => {
  if (typeof global.gc === 'function') {
    // Twice: the first pass may only move objects to the old generation.
    global.gc();
    global.gc();
  }
  process.stdout.write(`BENCH_MEMORY ${JSON.stringify(process.memoryUsage())}\n`);
});

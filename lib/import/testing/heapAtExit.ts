/**
 * Preloaded (`--expose-gc --import`) by the import memory test into a run of a small file: once the
 * script is done, what its heap holds (its modules' code and whatever stays), on stderr. The large
 * file's heap cap is that plus a fixed allowance, so the test bounds the import's own memory and
 * does not fail as the program grows.
 */
process.on('exit', () => {
  (globalThis as { gc?: () => void }).gc?.();
  process.stderr.write(`heap at exit: ${process.memoryUsage().heapUsed} bytes\n`);
});

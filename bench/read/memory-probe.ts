/**
 * Preloaded into the API server by bench/read (`--import ./bench/read/memory-probe.ts`): on a
 * "memory" message over the IPC channel it runs a full collection (when --expose-gc is given)
 * and answers process.memoryUsage() in MiB. It adds no timer and no hook, so the server runs as
 * it would without it; the channel is unreferenced, so it never keeps the process alive.
 */
const MIB = 1024 * 1024;

if (process.send) {
  process.channel?.unref();
  process.on('message', (message) => {
    if (message !== 'memory') return;
    (globalThis as { gc?: () => void }).gc?.();
    const usage = process.memoryUsage();
    process.send?.({
      memory: {
        rssMiB: usage.rss / MIB,
        heapUsedMiB: usage.heapUsed / MIB,
        heapTotalMiB: usage.heapTotal / MIB,
        externalMiB: usage.external / MIB,
      },
    });
  });
}

export {};

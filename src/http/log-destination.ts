import pino from 'pino';

/**
 * Standard output written asynchronously. pino's default writes each line with a blocking
 * write(2) on the request's thread; this one hands the writes to libuv's thread pool, and lines
 * logged while a write is in flight go out together in the next one, so under load a busy
 * server makes few writes, and an idle one still writes each line at once. Buffered lines are
 * flushed synchronously when the process exits (pino registers that); only a SIGKILL can lose
 * the lines of the write in flight. bench/README.md "Read path" has what it saves.
 */
export function asyncStdout(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: false });
}

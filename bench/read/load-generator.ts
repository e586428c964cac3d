import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  /** Paths requested in turn, each connection starting at its own place in the list. */
  paths: string[];
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers other than 2xx, and connection errors and timeouts. */
  failures: number;
  requests: number;
}

/**
 * autocannon against one server: `connections` keep-alive connections, no pipelining, each
 * request taking the next path of the list (so a by-id load reads many rows, not one row
 * from the cache of every layer).
 */
export async function generateLoad(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          next = (next + 1) % options.paths.length;
          return { ...request, path: options.paths[next]! };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    failures: result.non2xx + result.errors + result.timeouts,
    requests: result['2xx'],
  };
}

export const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

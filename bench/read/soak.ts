import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import {
  BENCH_ADMIN_KEY,
  benchState,
  checkKey,
  createBenchDatabase,
  databaseUrlFor,
  dropBenchDatabase,
} from './bench-database';
import { startApi, residentMiB, type MemorySample } from './processes';

/**
 * bench/read/soak.ts: mixed reads and writes against the real server for `--minutes`, on the
 * PostgreSQL server, watching for errors and for memory that grows.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_test npx tsx bench/read/soak.ts --minutes 10
 * The server is a child started like `npm start` (info logging to a file) with the memory probe
 * of bench/read; every `--sample-seconds` it is asked for its memory after a full collection
 * (heap in use: what is live) and its resident set is read from /proc. The script prints the
 * series, the least-squares slope of both over the run after the first fifth (warm-up: JIT,
 * pools, caches filling), and every answer that was not 2xx. Requests are paced at `--rate`
 * per second in all: a soak looks for leaks and slow failures, not for the highest rate.
 */
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    customers: { type: 'string', default: '20000' },
    connections: { type: 'string', default: '10' },
    rate: { type: 'string', default: '400' },
    'sample-seconds': { type: 'string', default: '15' },
    database: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl?.startsWith('postgres')) throw new Error('Set DATABASE_URL to the PostgreSQL server.');

const ADMIN_KEY = BENCH_ADMIN_KEY;

/** What one request of the mix does; shares in per cent. */
const MIX = [
  { kind: 'get customer', share: 55 },
  { kind: 'list by value', share: 8 },
  { kind: 'search', share: 7 },
  { kind: 'patch customer', share: 12 },
  { kind: 'create customer', share: 8 },
  { kind: 'create order', share: 10 },
] as const;
type Kind = (typeof MIX)[number]['kind'];

const SEARCHES = ['ada', 'lovelace', 'hopper', encodeURIComponent('王'), 'zqx'];

function pick(): Kind {
  let draw = Math.random() * 100;
  for (const entry of MIX) {
    draw -= entry.share;
    if (draw < 0) return entry.kind;
  }
  return 'get customer';
}

function requestFor(kind: Kind, ids: string[], n: number): autocannon.Request {
  const id = ids[Math.floor(Math.random() * ids.length)]!;
  const json = { 'content-type': 'application/json' };
  switch (kind) {
    case 'get customer':
      return { method: 'GET', path: `/v1/customers/${id}` };
    case 'list by value':
      return { method: 'GET', path: '/v1/customers?valueClass=platinum&sort=-clv&limit=50' };
    case 'search':
      return { method: 'GET', path: `/v1/customers?q=${SEARCHES[n % SEARCHES.length]}` };
    case 'patch customer':
      return {
        method: 'PATCH',
        path: `/v1/customers/${id}`,
        headers: json,
        body: JSON.stringify({ notes: `soak note ${n}`, tags: [`soak:${n % 7}`] }),
      };
    case 'create customer':
      return {
        method: 'POST',
        path: '/v1/customers',
        headers: { ...json, 'idempotency-key': randomUUID() },
        body: JSON.stringify({ name: `Soak Customer ${n}`, externalId: `SOAK-${randomUUID()}` }),
      };
    case 'create order':
      return {
        method: 'POST',
        path: '/v1/orders',
        headers: { ...json, 'idempotency-key': randomUUID() },
        body: JSON.stringify({
          customerId: id,
          orderedAt: new Date().toISOString(),
          amount: `${(n % 200) + 1}.50`,
          currency: 'USD',
        }),
      };
  }
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return num / den;
}

interface Sample extends MemorySample {
  minute: number;
  osRssMiB: number;
  answered: number;
}

async function main(): Promise<void> {
  const name = values.database ?? `crm_soak_bench_${Date.now()}`;
  if (!values.database) await createBenchDatabase(serverUrl!, name, Number(values.customers));
  const url = databaseUrlFor(serverUrl!, name);
  const logFile = path.join(os.tmpdir(), `${name}.soak.log`);
  const api = await startApi({
    databaseUrl: url,
    adminKey: ADMIN_KEY,
    logFile,
    env: { RATE_LIMIT_MAX: '1000000000' },
  });
  try {
    await checkKey(api.url, ADMIN_KEY);
    const { ids } = await benchState(url, 10000);
    const seconds = Number(values.minutes) * 60;
    const byKind = new Map<Kind, number>();
    const byStatus = new Map<number, number>();
    let answered = 0;
    let n = 0;
    const samples: Sample[] = [];
    const start = Date.now();
    const sample = async () => {
      const memory = await api.memory();
      const s = {
        minute: (Date.now() - start) / 60000,
        osRssMiB: residentMiB(api.pid),
        answered,
        ...memory,
      };
      samples.push(s);
      console.log(
        `${s.minute.toFixed(2).padStart(6)} min  rss ${s.osRssMiB.toFixed(1).padStart(7)} MiB  heap used ${s.heapUsedMiB.toFixed(1).padStart(6)} MiB  heap total ${s.heapTotalMiB.toFixed(1).padStart(6)}  external ${s.externalMiB.toFixed(1).padStart(5)}  answered ${answered}`,
      );
    };
    console.log(
      `soak: ${values.minutes} min, ${values.connections} connections, ${values.rate} req/s, database ${name}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    await sample();
    const timer = setInterval(() => void sample(), Number(values['sample-seconds']) * 1000);
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: api.url,
          connections: Number(values.connections),
          overallRate: Number(values.rate),
          duration: seconds,
          headers: { authorization: `Bearer ${ADMIN_KEY}` },
          requests: [
            {
              setupRequest: (request) => {
                const kind = pick();
                byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
                const planned = requestFor(kind, ids, n++);
                return { ...request, ...planned, headers: { ...request.headers, ...planned.headers } };
              },
            },
          ],
        },
        (error: unknown, done: autocannon.Result) => (error ? reject(error) : resolve(done)),
      );
      instance.on('response', (_client, statusCode) => {
        answered++;
        byStatus.set(statusCode, (byStatus.get(statusCode) ?? 0) + 1);
      });
    });
    clearInterval(timer);
    await sample();

    console.log(`\nrequests by kind: ${[...byKind].map(([k, c]) => `${k} ${c}`).join(', ')}`);
    console.log(`answers by status: ${[...byStatus].map(([s, c]) => `${s}: ${c}`).join(', ')}`);
    console.log(
      `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; connection errors ${result.errors}, timeouts ${result.timeouts}`,
    );
    const settled = samples.filter((s) => s.minute >= Number(values.minutes) / 5);
    const heap = slope(settled.map((s) => [s.minute, s.heapUsedMiB]));
    const rss = slope(settled.map((s) => [s.minute, s.osRssMiB]));
    console.log(
      `slope after the first fifth (${settled.length} samples): heap used ${heap.toFixed(3)} MiB/min, rss ${rss.toFixed(3)} MiB/min`,
    );
    const failures = [...byStatus].filter(([status]) => status >= 400).reduce((sum, [, c]) => sum + c, 0);
    console.log(`errors: ${failures} answers >= 400, ${result.errors} connection errors`);
    console.log(
      `load average at the end ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await api.stop();
    if (!values.keep && !values.database) await dropBenchDatabase(serverUrl!, name);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

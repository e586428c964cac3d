import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  addChineseCustomers,
  analyzeBenchDatabase,
  BENCH_ADMIN_KEY,
  checkKey,
  benchState,
  createBenchDatabase,
  databaseUrlFor,
  dropBenchDatabase,
  runAnalytics,
} from './bench-database';
import { generateLoad, median, type LoadResult } from './load-generator';
import { BackendCpu, cpuTimes } from './cpu';
import { startApi, startBare, type ServerProcess } from './processes';

/**
 * bench/read: the read path against the database's own speed, on the PostgreSQL server.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_test npx tsx bench/read/run.ts
 * GET /v1/customers/{id} on the real server (a child process started like `npm start`, info
 * logging to a file, the rate limiter counting) and GET /customers/{id} on a bare Fastify + pg
 * handler (another child) take turns under the same autocannon load, so noise hits both; then
 * the list queries on the real server. `--database NAME` measures a kept database again
 * (`--keep` keeps the one it made).
 */
const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'list-seconds': { type: 'string', default: '10' },
    'list-connections': { type: 'string', default: '10' },
    database: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'skip-lists': { type: 'boolean', default: false },
    'skip-by-id': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string', description: 'directory for a V8 profile of the API server' },
  },
});
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl?.startsWith('postgres')) throw new Error('Set DATABASE_URL to the PostgreSQL server.');

const ADMIN_KEY = BENCH_ADMIN_KEY;
const num = (text: string | undefined) => Number(text);

interface Measured extends LoadResult {
  /** CPU of the server process, and of the database's backends, per answered request (ms). */
  appCpuMs: number;
  /** Of appCpuMs, the part spent in the kernel (socket and log writes). */
  appSystemMs: number;
  dbCpuMs: number;
}

/** One load against one server, with the CPU the server and the database spent on it. */
async function measured(
  server: ServerProcess,
  backends: BackendCpu,
  load: () => Promise<LoadResult>,
): Promise<Measured> {
  const appBefore = cpuTimes(server.pid);
  const dbBefore = await backends.sample();
  const result = await load();
  const appAfter = cpuTimes(server.pid);
  const db = BackendCpu.spent(dbBefore, await backends.sample());
  const per = (seconds: number) => (result.requests > 0 ? (seconds * 1000) / result.requests : NaN);
  return {
    ...result,
    appCpuMs: per(appAfter.user - appBefore.user + appAfter.system - appBefore.system),
    appSystemMs: per(appAfter.system - appBefore.system),
    dbCpuMs: per(db),
  };
}

function row(label: string, r: Measured): string {
  return [
    label.padEnd(34),
    r.requestsPerSecond.toFixed(0).padStart(7),
    r.p50Ms.toFixed(0).padStart(5),
    r.p99Ms.toFixed(0).padStart(5),
    r.maxMs.toFixed(0).padStart(6),
    String(r.failures).padStart(6),
    r.appCpuMs.toFixed(3).padStart(8),
    `(${r.appSystemMs.toFixed(3)})`.padStart(8),
    r.dbCpuMs.toFixed(3).padStart(8),
  ].join(' ');
}
const HEADER = `${'load'.padEnd(34)}   req/s   p50   p99    max  fails  app CPU    (sys)   db CPU  (CPU: ms per request)`;

function countLines(file: string): { lines: number; bytes: number } {
  const text = fs.readFileSync(file, 'utf8');
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return { lines, bytes: Buffer.byteLength(text) };
}

async function byId(
  api: ServerProcess,
  bare: ServerProcess,
  backends: BackendCpu,
  ids: string[],
  logFile: string,
): Promise<void> {
  const connections = num(values.connections);
  const seconds = num(values.seconds);
  const auth = { authorization: `Bearer ${ADMIN_KEY}` };
  const apiLoad = (s: number) =>
    generateLoad({
      url: api.url,
      paths: ids.map((id) => `/v1/customers/${id}`),
      connections,
      seconds: s,
      headers: auth,
    });
  const bareLoad = (s: number) =>
    generateLoad({ url: bare.url, paths: ids.map((id) => `/customers/${id}`), connections, seconds: s });
  // Warm both (JIT, pools, the database's cache of the rows) before anything counts.
  await apiLoad(5);
  await bareLoad(5);
  const before = countLines(logFile);
  const apiRuns: Measured[] = [];
  const bareRuns: Measured[] = [];
  console.log(`\nGET one customer by id, ${connections} connections, ${seconds} s a turn, ${ids.length} ids`);
  console.log(HEADER);
  for (let round = 0; round < num(values.rounds); round++) {
    // ABBA: neither side always goes first into a machine the other has just warmed.
    const order = round % 2 === 0 ? (['api', 'bare'] as const) : (['bare', 'api'] as const);
    for (const side of order) {
      const result =
        side === 'api'
          ? await measured(api, backends, () => apiLoad(seconds))
          : await measured(bare, backends, () => bareLoad(seconds));
      (side === 'api' ? apiRuns : bareRuns).push(result);
      console.log(
        row(`${round + 1}. ${side === 'api' ? 'API GET /v1/customers/{id}' : 'bare Fastify + pg'}`, result),
      );
    }
  }
  const after = countLines(logFile);
  const apiRps = median(apiRuns.map((r) => r.requestsPerSecond));
  const bareRps = median(bareRuns.map((r) => r.requestsPerSecond));
  const apiRequests = apiRuns.reduce((sum, r) => sum + r.requests, 0);
  console.log(
    `median API ${apiRps.toFixed(0)} req/s, bare ${bareRps.toFixed(0)} req/s: ratio ${(apiRps / bareRps).toFixed(2)} (target 0.8)`,
  );
  console.log(
    `median API p99 ${median(apiRuns.map((r) => r.p99Ms)).toFixed(0)} ms (target < 20), bare p99 ${median(bareRuns.map((r) => r.p99Ms)).toFixed(0)} ms`,
  );
  const cpu = (runs: Measured[], key: 'appCpuMs' | 'dbCpuMs') => median(runs.map((r) => r[key])).toFixed(3);
  console.log(
    `median CPU per request (ms): API ${cpu(apiRuns, 'appCpuMs')} + database ${cpu(apiRuns, 'dbCpuMs')}, bare ${cpu(bareRuns, 'appCpuMs')} + database ${cpu(bareRuns, 'dbCpuMs')}`,
  );
  console.log(
    `API log: ${((after.lines - before.lines) / apiRequests).toFixed(2)} lines and ${((after.bytes - before.bytes) / apiRequests).toFixed(0)} bytes per request`,
  );
}

async function lists(api: ServerProcess, backends: BackendCpu): Promise<void> {
  const connections = num(values['list-connections']);
  const seconds = num(values['list-seconds']);
  const auth = { authorization: `Bearer ${ADMIN_KEY}` };
  const queries: Array<[string, string]> = [
    ['valueClass=platinum&sort=-clv&limit=50', '/v1/customers?valueClass=platinum&sort=-clv&limit=50'],
    ['q=ada (common, 3 letters)', '/v1/customers?q=ada'],
    ['q=lovelace (common word)', '/v1/customers?q=lovelace'],
    ['q=zqx (no match)', '/v1/customers?q=zqx'],
    ['q=王 (one CJK character)', `/v1/customers?q=${encodeURIComponent('王')}`],
    ['q=王伟 (two CJK characters)', `/v1/customers?q=${encodeURIComponent('王伟')}`],
    ['q=浦东 (address part)', `/v1/customers?q=${encodeURIComponent('浦东')}`],
  ];
  console.log(
    `\nGET /v1/customers lists, ${connections} connections, ${seconds} s each (target p99 < 50 ms)`,
  );
  console.log(HEADER);
  for (const [label, path] of queries) {
    const check = await fetch(`${api.url}${path}`, { headers: auth });
    const body = (await check.json()) as { data?: unknown[] };
    const found = check.status === 200 ? `${body.data?.length ?? 0} items` : `status ${check.status}`;
    const result = await measured(api, backends, () =>
      generateLoad({ url: api.url, paths: [path], connections, seconds, headers: auth }),
    );
    console.log(`${row(label, result)}   (${found})`);
  }
}

async function main(): Promise<void> {
  const name = values.database ?? `crm_read_bench_${Date.now()}`;
  if (!values.database) await createBenchDatabase(serverUrl!, name, num(values.customers));
  const url = databaseUrlFor(serverUrl!, name);
  const logFile = path.join(os.tmpdir(), `${name}.log`);
  const servers: ServerProcess[] = [];
  try {
    const api = await startApi({
      databaseUrl: url,
      adminKey: ADMIN_KEY,
      logFile,
      // The limiter runs and counts as in production; its limit is out of reach so it never refuses.
      env: { RATE_LIMIT_MAX: '1000000000' },
      nodeFlags: values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [],
    });
    servers.push(api);
    await checkKey(api.url, ADMIN_KEY);
    const state = await benchState(url, 10000);
    if (!state.valued) await runAnalytics(api.url, ADMIN_KEY);
    if (state.cjkCustomers === 0) await addChineseCustomers(api.url, ADMIN_KEY, 2000);
    await analyzeBenchDatabase(url);
    const bare = await startBare(url);
    servers.push(bare);
    console.log(
      `database ${name}, API log in ${logFile}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const backends = await BackendCpu.open(url);
    try {
      if (!values['skip-by-id']) await byId(api, bare, backends, state.ids, logFile);
      if (!values['skip-lists']) await lists(api, backends);
    } finally {
      await backends.close();
    }
    console.log(
      `load average at the end ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    if (!values.keep && !values.database) await dropBenchDatabase(serverUrl!, name);
    else console.log(`kept database ${name}: --database ${name} measures it again`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import type { Knex } from 'knex';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createDatabase } from '../../src/db/create-database';
import { newId } from '../../src/db/ids';
import { migrateToLatest } from '../../src/db/migration-source';
import { DEFAULT_BUSINESS, syntheticBusiness, type DemoOrder } from '../../src/demo/synthetic-business';

/**
 * bench/ingest: orders through the API against COPY, on the PostgreSQL server, in a fresh schema.
 * The same rows go (a) through POST /v1/orders/batch, 1,000 per request, from several concurrent
 * HTTP clients against the real app (auth, validation, an Idempotency-Key on every request and
 * its stored replay, audit trail, events, per-row results), and (b) through one COPY ... FROM
 * STDIN (CSV) into orders_plain, a plain table: the columns an order needs at least (id,
 * external id, customer, time, amount, currency, status), a primary key, a unique external id,
 * a foreign key to customers and one (customer_id, ordered_at) index. Not a copy of our own
 * orders table: COPY into that pays for our extra columns, generated column and indexes too,
 * and the comparison would flatter the API. Customers are loaded first and not timed; request
 * bodies and the CSV are built before their clocks start (that is the client's work).
 * COPY runs before and after the API load and its rate is the mean of the two, so neither
 * side alone gets the warmer (or the more checkpoint-laden) server.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_test npx tsx bench/ingest/run.ts --orders 200000 --clients 4
 */
const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '200000' },
    clients: { type: 'string', default: '4' },
    batch: { type: 'string', default: '1000' },
    /**
     * Leave out the Idempotency-Key. The target is measured with one on every request (what
     * an ERP retrying safely sends, and the replay record is then written too).
     */
    'no-idempotency-keys': { type: 'boolean', default: false },
    /** Write a CPU profile of this process (app and clients) over the API load to this file. */
    'cpu-profile': { type: 'string' },
    /** Sum the time of each kind of SQL statement the app runs during the API load. */
    timings: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

const url = process.env.DATABASE_URL ?? '';
if (!url) throw new Error('Set DATABASE_URL to a PostgreSQL server database whose name contains "test".');
if (!/test/i.test(new URL(url).pathname)) throw new Error('The database name must contain "test".');

const ORDERS = Number(values.orders);
const CLIENTS = Number(values.clients);
const BATCH = Number(values.batch);
const CUSTOMERS = Math.ceil(ORDERS / 10);
const IDEMPOTENCY_KEYS = !values['no-idempotency-keys'];

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const rate = (rows: number, s: number) => Math.round(rows / s).toLocaleString('en-US');

/** The synthetic business's orders in time order (how an ERP would send them), the first N. */
function makeRows() {
  const business = syntheticBusiness({ ...DEFAULT_BUSINESS, customers: CUSTOMERS, prefix: 'bench' });
  if (business.orders.length < ORDERS) {
    throw new Error(`the generator made only ${business.orders.length} orders for ${CUSTOMERS} customers`);
  }
  const orders = [...business.orders].sort((a, b) =>
    a.orderedAt < b.orderedAt ? -1 : a.orderedAt > b.orderedAt ? 1 : 0,
  );
  return { customers: business.customers, orders: orders.slice(0, ORDERS) };
}

/**
 * The baseline: what any orders table must hold and enforce, nothing of ours (no fx rate,
 * region, flags, version, timestamps, generated reporting amount or second index). Amounts
 * are NUMERIC(19,4), the precision the API accepts.
 */
const PLAIN_TABLE = `CREATE TABLE orders_plain (
  id uuid PRIMARY KEY,
  external_id text NOT NULL UNIQUE,
  customer_id uuid NOT NULL REFERENCES customers (id),
  ordered_at timestamptz NOT NULL,
  amount numeric(19,4) NOT NULL,
  currency char(3) NOT NULL,
  status text NOT NULL
)`;
const PLAIN_INDEX = 'CREATE INDEX ON orders_plain (customer_id, ordered_at)';
const COPY_COLUMNS = ['id', 'external_id', 'customer_id', 'ordered_at', 'amount', 'currency', 'status'];

/** The CSV COPY reads, in chunks of 10,000 rows. */
function csvChunks(orders: DemoOrder[], customerIds: Map<string, string>): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < orders.length; i += 10000) {
    const records = orders
      .slice(i, i + 10000)
      .map((o) => [
        newId(),
        o.externalId,
        customerIds.get(o.customerExternalId)!,
        o.orderedAt,
        o.amount,
        o.currency,
        o.status,
      ]);
    chunks.push(stringify(records));
  }
  return chunks;
}

interface Timed {
  seconds: number;
  /** CPU seconds the server spent on it (its backends only). */
  serverCpu: number;
}

async function copyInto(connection: pg.ClientConfig, schema: string, chunks: string[]): Promise<Timed> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    await client.query(`SET search_path TO ${schema}, public`);
    await client.query('TRUNCATE orders_plain');
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const cpu = cpuSecondsOf([rows[0]!.pid]);
    const start = process.hrtime.bigint();
    await client.query('BEGIN');
    await pipeline(
      Readable.from(chunks),
      client.query(copyFrom(`COPY orders_plain (${COPY_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT csv)`)),
    );
    await client.query('COMMIT');
    return { seconds: seconds(start), serverCpu: cpuSecondsOf([rows[0]!.pid]) - cpu };
  } finally {
    await client.end();
  }
}

interface Answer {
  status: number;
  body: string;
}

function post(
  agent: http.Agent,
  port: number,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
  contentType = 'application/json',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { ...headers, 'content-type': contentType, 'content-length': String(body.length) },
      },
      (response) => {
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => parts.push(part));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Wall time per kind of statement (its first words), from knex's query events, and the server
 * CPU spent meanwhile by the given backends: per statement only with one client.
 */
function statementTimings(knex: Knex, pids: number[]) {
  const open = new Map<string, { kind: string; start: bigint; cpu: number }>();
  const totals = new Map<string, { count: number; seconds: number; cpu: number }>();
  knex.on('query', (q: { __knexQueryUid: string; sql: string }) => {
    const kind = q.sql.replace(/\s+/g, ' ').trim().slice(0, 60);
    open.set(q.__knexQueryUid, { kind, start: process.hrtime.bigint(), cpu: cpuSecondsOf(pids) });
  });
  const done = (_r: unknown, q: { __knexQueryUid: string }) => {
    const o = open.get(q.__knexQueryUid);
    if (!o) return;
    open.delete(q.__knexQueryUid);
    const t = totals.get(o.kind) ?? { count: 0, seconds: 0, cpu: 0 };
    t.count += 1;
    t.seconds += seconds(o.start);
    t.cpu += cpuSecondsOf(pids) - o.cpu;
    totals.set(o.kind, t);
  };
  knex.on('query-response', done);
  knex.on('query-error', done);
  return () =>
    [...totals.entries()]
      .sort((a, b) => b[1].seconds - a[1].seconds)
      .map(
        ([kind, t]) =>
          `  ${t.seconds.toFixed(2).padStart(6)} s ${t.cpu.toFixed(2).padStart(6)} s ${String(t.count).padStart(6)}x  ${kind}`,
      )
      .join('\n');
}

/** CPU seconds (user + system) the given processes have used so far, from /proc (Linux). */
function cpuSecondsOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process has ended.
    }
  }
  return ticks / 100;
}

/**
 * Rows of a table of the bench schema (optionally only one entity type's), or null when the
 * schema has no such table: the events table is new and takes over audit_log, and the bench
 * measures either layout.
 */
async function rowCount(
  knex: Knex,
  schema: string,
  table: string,
  entityType?: string,
): Promise<number | null> {
  const { rows } = await knex.raw<{ rows: Array<{ present: boolean }> }>(
    'SELECT to_regclass(?) IS NOT NULL AS present',
    [`${schema}.${table}`],
  );
  if (!rows[0]!.present) return null;
  const counted = await knex.raw<{ rows: Array<{ count: string }> }>(
    entityType === undefined
      ? 'SELECT count(*) AS count FROM ??'
      : 'SELECT count(*) AS count FROM ?? WHERE entity_type = ?',
    entityType === undefined ? [`${schema}.${table}`] : [`${schema}.${table}`, entityType],
  );
  return Number(counted.rows[0]!.count);
}

async function backendPids(knex: Knex, applicationName: string): Promise<number[]> {
  const { rows } = await knex.raw<{ rows: Array<{ pid: number }> }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = ?',
    [applicationName],
  );
  return rows.map((r) => r.pid);
}

/** Starts the V8 profiler; the answer stops it and writes the profile to the file. */
async function startProfile(file: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  const call = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: 200 });
  await call('Profiler.start');
  return async () => {
    const { profile } = (await call('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/** `npm start` runs the server with a 64 MiB young generation; the app here should match it. */
function warnUnlessServerFlags(): void {
  const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (!flags.includes('--max-semi-space-size')) {
    console.warn(
      'note: npm start runs the server with --max-semi-space-size=64; prefix NODE_OPTIONS=--max-semi-space-size=64 to measure that configuration',
    );
  }
}

async function main(): Promise<void> {
  warnUnlessServerFlags();
  const schema = `bench_ingest_${Date.now()}`;
  const setup = await createDatabase({ url });
  await setup.knex.raw(`CREATE SCHEMA ${schema}`);
  await setup.knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
  await setup.close();
  // The app's configuration is the default one but for the rate limit (one key sends it all).
  const config = loadConfig({ DATABASE_URL: url, RATE_LIMIT_MAX: '1000000000', LOG_LEVEL: 'warn' });
  const appUrl = new URL(url);
  appUrl.searchParams.set('application_name', `${schema}_api`);
  const db = await createDatabase({
    url: appUrl.toString(),
    schema,
    statementTimeoutMs: config.STATEMENT_TIMEOUT_MS,
  });
  const app = await buildApp({ config, db });
  // Destroyed in the finally too: after a failed batch its idle keep-alive sockets would hold
  // app.close() for the server's keep-alive timeout (72 s).
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    await migrateToLatest(db.knex);
    let start = process.hrtime.bigint();
    const { customers, orders } = makeRows();
    const customerIds = new Map(customers.map((c) => [c.externalId, newId()]));
    const now = new Date().toISOString();
    for (let i = 0; i < customers.length; i += 10000) {
      const chunk = customers.slice(i, i + 10000);
      await db.knex.raw(
        `INSERT INTO customers (id, external_id, kind, category, name, sort_name, region, search_text, created_at, updated_at)
         SELECT id, ext, kind, category, name, lower(name), region, lower(name), ?, ?
           FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(id, ext, kind, category, name, region)`,
        [
          now,
          now,
          chunk.map((c) => customerIds.get(c.externalId)!),
          chunk.map((c) => c.externalId),
          chunk.map((c) => c.kind),
          chunk.map((c) => c.category),
          chunk.map((c) => c.name),
          chunk.map((c) => c.region),
        ],
      );
    }
    await db.knex.raw(PLAIN_TABLE);
    await db.knex.raw(PLAIN_INDEX);
    await db.knex.raw('VACUUM ANALYZE customers');
    const bodies: Buffer[] = [];
    for (let i = 0; i < orders.length; i += BATCH) {
      bodies.push(Buffer.from(JSON.stringify({ items: orders.slice(i, i + BATCH) })));
    }
    const csv = csvChunks(orders, customerIds);
    console.log(
      `${customers.length} customers loaded, ${orders.length} orders in ${bodies.length} bodies of ${BATCH} ` +
        `(${(bodies.reduce((n, b) => n + b.length, 0) / 2 ** 20).toFixed(0)} MiB) in ${seconds(start).toFixed(1)} s`,
    );

    const connection = { connectionString: url };
    const copyBefore = await copyInto(connection, schema, csv);
    console.log(
      `COPY (before): ${rate(orders.length, copyBefore.seconds)} rows/s (${copyBefore.seconds.toFixed(2)} s, server CPU ${copyBefore.serverCpu.toFixed(2)} s)`,
    );

    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const { key } = await app.services.apiKeys.create('bench ingest', ['orders:write'], null);
    const auth = { authorization: `Bearer ${key}` };
    let next = 0;
    let created = 0;
    const client = async (): Promise<void> => {
      while (next < bodies.length) {
        const i = next++;
        const headers = IDEMPOTENCY_KEYS ? { ...auth, 'idempotency-key': `bench-${schema}-${i}` } : auth;
        const answer = await post(agent, port, '/v1/orders/batch', headers, bodies[i]!);
        if (answer.status !== 200)
          throw new Error(`batch ${i}: ${answer.status} ${answer.body.slice(0, 500)}`);
        // Counting the per-row outcomes without parsing the answer keeps the clients' work small.
        created += answer.body.split('"outcome":"created"').length - 1;
      }
    };
    // Counted around the load (outside its clock and the statement timings), so only what the
    // batches wrote is in the difference.
    const eventsBefore = await rowCount(db.knex, schema, 'events');
    const pids = await backendPids(db.knex, `${schema}_api`);
    const report = values.timings ? statementTimings(db.knex, pids) : undefined;
    const serverCpuBefore = cpuSecondsOf(pids);
    const nodeCpuBefore = process.cpuUsage();
    const loopBefore = performance.eventLoopUtilization();
    const stopProfile = values['cpu-profile'] ? await startProfile(values['cpu-profile']) : undefined;
    start = process.hrtime.bigint();
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const api = seconds(start);
    const loop = performance.eventLoopUtilization(loopBefore);
    await stopProfile?.();
    const nodeCpu = process.cpuUsage(nodeCpuBefore);
    const serverCpu = cpuSecondsOf(await backendPids(db.knex, `${schema}_api`)) - serverCpuBefore;
    agent.destroy();
    if (created !== orders.length) throw new Error(`the API created ${created} of ${orders.length} orders`);
    console.log(
      `API (${CLIENTS} clients): ${rate(orders.length, api)} rows/s (${api.toFixed(2)} s, server CPU ${serverCpu.toFixed(2)} s, ` +
        `node CPU ${((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(2)} s, event loop ${(loop.utilization * 100).toFixed(0)}% busy)`,
    );
    if (report) console.log(`statements: wall time, server CPU (one client only), count:\n${report()}`);
    const eventsAfter = await rowCount(db.knex, schema, 'events');
    const events = eventsBefore === null || eventsAfter === null ? null : eventsAfter - eventsBefore;

    const copyAfter = await copyInto(connection, schema, csv);
    console.log(
      `COPY (after): ${rate(orders.length, copyAfter.seconds)} rows/s (${copyAfter.seconds.toFixed(2)} s, server CPU ${copyAfter.serverCpu.toFixed(2)} s)`,
    );

    const [counts] = (
      await db.knex.raw<{ rows: Array<{ orders: string; copied: string; replays: string }> }>(
        `SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM orders_plain) AS copied,
                (SELECT count(*) FROM idempotency_keys WHERE state = 'done') AS replays`,
      )
    ).rows;
    // One stored replay per request shows the keys were honoured, not ignored.
    if (
      Number(counts!.orders) !== orders.length ||
      Number(counts!.copied) !== orders.length ||
      Number(counts!.replays) !== (IDEMPOTENCY_KEYS ? bodies.length : 0)
    ) {
      throw new Error(`row counts differ: ${JSON.stringify(counts)}`);
    }
    // Every created order leaves its audit record: one audit_log row, or (once the events table
    // has taken audit_log over) at least one event.
    const audit = await rowCount(db.knex, schema, 'audit_log', 'order');
    if (audit === null ? events === null || events < orders.length : audit !== orders.length) {
      throw new Error(`audit records: audit_log ${audit ?? 'absent'}, events ${events ?? 'absent'}`);
    }
    const copyRate = orders.length / ((copyBefore.seconds + copyAfter.seconds) / 2);
    const apiRate = orders.length / api;
    console.log(
      [
        '',
        `orders: ${orders.length.toLocaleString('en-US')} in ${bodies.length} batches of ${BATCH}, ${CLIENTS} clients, ` +
          (IDEMPOTENCY_KEYS ? 'Idempotency-Key on every request' : 'no Idempotency-Key'),
        `API  (POST /v1/orders/batch):          ${rate(apiRate, 1)} rows/s`,
        `COPY (orders_plain, mean of 2 runs):   ${rate(copyRate, 1)} rows/s`,
        `ratio API/COPY:                        ${(apiRate / copyRate).toFixed(2)} (target >= 0.6)`,
        audit === null
          ? 'audit rows written by the API load:    audit_log absent (the audit trail is the events)'
          : `audit rows written by the API load:    ${audit.toLocaleString('en-US')} (audit_log)`,
        events === null
          ? 'events rows written by the API load:   events table absent'
          : `events rows written by the API load:   ${events.toLocaleString('en-US')} (${(events / orders.length).toFixed(2)} per order)`,
      ].join('\n'),
    );

    // The import job: the same orders under new external ids, one NDJSON upload, one client.
    const ndjson = Buffer.from(
      orders.map((o) => JSON.stringify({ ...o, externalId: `import-${o.externalId}` })).join('\n') + '\n',
    );
    const importAgent = new http.Agent({ keepAlive: false });
    start = process.hrtime.bigint();
    const imported = await post(
      importAgent,
      port,
      '/v1/imports?resource=orders&format=ndjson',
      auth,
      ndjson,
      'application/x-ndjson',
    );
    const importSeconds = seconds(start);
    importAgent.destroy();
    const job = JSON.parse(imported.body) as { status: string; rowsCreated: number; rowsRejected: number };
    if (imported.status !== 201 || job.rowsCreated !== orders.length) {
      throw new Error(`import: ${imported.status} ${imported.body.slice(0, 500)}`);
    }
    console.log(
      `import job (NDJSON, ${(ndjson.length / 2 ** 20).toFixed(0)} MiB, one upload): ${rate(orders.length, importSeconds)} rows/s ` +
        `(${importSeconds.toFixed(2)} s); ratio import/COPY ${(orders.length / importSeconds / copyRate).toFixed(2)}`,
    );
  } finally {
    agent.destroy();
    await app.close();
    if (!values.keep) await db.knex.raw(`DROP SCHEMA ${schema} CASCADE`);
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { createDatabase, type Database } from '../../src/db/create-database';
import { migrateToLatest } from '../../src/db/migration-source';
import { loadSyntheticBusiness, syntheticAsOf } from '../analytics/load';

/**
 * The database bench/read measures: a database of its own on the PostgreSQL server (so the
 * server child reads it with the DATABASE_URL production would have, no schema option), the
 * synthetic business of bench/analytics loaded into it, one analytics run published through
 * the API (value class and CLV for the list queries), and some customers with Chinese names
 * written through the API, so q= has something to find for a CJK query.
 */
/**
 * The admin key of every bench/read server: the server installs it as its bootstrap key in a
 * fresh database, and a kept database already has it.
 */
export const BENCH_ADMIN_KEY = 'bench-read-admin-key-0123456789abcdef';

export function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createBenchDatabase(serverUrl: string, name: string, customers: number): Promise<void> {
  const admin = await createDatabase({ url: serverUrl });
  try {
    await admin.knex.raw(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  const db = await createDatabase({ url: databaseUrlFor(serverUrl, name), statementTimeoutMs: 0 });
  try {
    await migrateToLatest(db.knex);
    const start = Date.now();
    const orders = await loadSyntheticBusiness(db.knex, customers);
    console.log(
      `loaded ${customers} customers and ${orders} orders in ${((Date.now() - start) / 1000).toFixed(0)} s`,
    );
  } finally {
    await db.close();
  }
}

/**
 * Statistics as a production server keeps them: the bench's server runs with autovacuum off,
 * and a planner that never saw the bulk-loaded customers guesses its way onto the wrong index
 * (a value-sorted list or a one-character search then reads thousands of rows for fifty).
 */
export async function analyzeBenchDatabase(url: string): Promise<void> {
  const db = await createDatabase({ url, statementTimeoutMs: 0 });
  try {
    await db.knex.raw('VACUUM ANALYZE customers, customer_lifecycle, orders');
  } finally {
    await db.close();
  }
}

export async function dropBenchDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = await createDatabase({ url: serverUrl });
  try {
    await admin.knex.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.close();
  }
}

/**
 * An empty database `name` on the server, dropped first if a run left it behind, migrated to
 * the latest schema, for a bench that seeds its own data (bench/sales, bench/associations).
 */
export async function freshBenchDatabase(serverUrl: string, name: string): Promise<Database> {
  await dropBenchDatabase(serverUrl, name);
  const admin = await createDatabase({ url: serverUrl });
  try {
    await admin.knex.raw(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  const db = await createDatabase({ url: databaseUrlFor(serverUrl, name), statementTimeoutMs: 0 });
  await migrateToLatest(db.knex);
  return db;
}

/** Customer ids to read, in random order, and whether a run and the Chinese names are there yet. */
export async function benchState(
  url: string,
  sample: number,
): Promise<{ ids: string[]; valued: boolean; cjkCustomers: number }> {
  const db = await createDatabase({ url, statementTimeoutMs: 0 });
  try {
    const ids = (
      await db.knex.raw<{ rows: Array<{ id: string }> }>(
        'SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY random() LIMIT ?',
        [sample],
      )
    ).rows.map((r) => r.id);
    const runs = await db
      .knex('analytics_runs')
      .where({ status: 'done' })
      .count<{ count: string }[]>('* as count');
    const cjk = await db
      .knex('customers')
      .where('external_id', 'like', 'CJK-%')
      .count<{ count: string }[]>('* as count');
    return { ids, valued: Number(runs[0]!.count) > 0, cjkCustomers: Number(cjk[0]!.count) };
  } finally {
    await db.close();
  }
}

/** Fails at once when the server does not take the key (a kept database with another admin key). */
export async function checkKey(apiUrl: string, key: string): Promise<void> {
  await call(apiUrl, key, 'GET', '/v1/customers?limit=1');
}

async function call(
  apiUrl: string,
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** One analytics run through the API, waited for. */
export async function runAnalytics(apiUrl: string, key: string): Promise<void> {
  const start = Date.now();
  const run = (await call(apiUrl, key, 'POST', '/v1/analytics/runs', {
    asOf: syntheticAsOf(),
    timeUnit: 'week',
  })) as { id: string };
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const state = (await call(apiUrl, key, 'GET', `/v1/analytics/runs/${run.id}`)) as { status: string };
    if (state.status === 'done') break;
    if (state.status !== 'running' && state.status !== 'queued')
      throw new Error(`analytics run ${state.status}`);
  }
  console.log(`analytics run done in ${((Date.now() - start) / 1000).toFixed(0)} s`);
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡'];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '秀英',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
];
const CITIES = [
  '北京市朝阳区',
  '上海市浦东新区',
  '广州市天河区',
  '深圳市南山区',
  '成都市武侯区',
  '杭州市西湖区',
];

/** `count` customers with Chinese names and addresses, through POST /v1/customers/batch. */
export async function addChineseCustomers(apiUrl: string, key: string, count: number): Promise<void> {
  for (let first = 0; first < count; first += 1000) {
    const items = [];
    for (let i = first; i < Math.min(count, first + 1000); i++) {
      const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}`;
      items.push({
        externalId: `CJK-${i}`,
        name,
        kind: 'person',
        category: 'consumer',
        addresses: [
          {
            line1: `${CITIES[i % CITIES.length]}${(i % 90) + 1}号`,
            city: CITIES[i % CITIES.length]!.slice(0, 3),
            country: 'CN',
          },
        ],
      });
    }
    await call(apiUrl, key, 'POST', '/v1/customers/batch', { items });
  }
}

import { parseArgs } from 'node:util';
import { createDatabase, type Database } from '../../src/db/create-database';
import { newId } from '../../src/db/ids';
import { migrateToLatest } from '../../src/db/migration-source';
import { CustomerRepository, parseSort } from '../../src/modules/customers/repository';
import type { CustomerListQuery } from '../../src/modules/customers/schemas';

/**
 * bench/search: `GET /v1/customers?q=` at a million customers with Chinese names, addresses
 * and notes, against the same page without `q` (the list's plain index walk), side by side.
 * It times the repository's list query, the whole of the database work a search request does
 * (bench/read measures the HTTP path around it).
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_test npx tsx bench/search/run.ts --customers 1000000
 * `--keep` leaves the schema in place; `--schema NAME` measures a kept one again.
 */
const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    repeats: { type: 'string', default: '40' },
    keep: { type: 'boolean', default: false },
    schema: { type: 'string' },
  },
});
const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to a PostgreSQL server database whose name contains "test".');

// Common surnames first: the generator draws them with falling weights, as in life (王, 李 and
// 张 are each about 7% of China's population).
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志强玉兰海燕小明晓东佳怡子涵浩然欣怡宇轩梓萱';
const CITIES = [
  '北京市',
  '上海市',
  '广州市',
  '深圳市',
  '杭州市',
  '成都市',
  '武汉市',
  '南京市',
  '西安市',
  '苏州市',
];
const STREETS = [
  '建国路',
  '人民路',
  '中山路',
  '解放路',
  '长安街',
  '南京路',
  '和平路',
  '文化路',
  '新华路',
  '东风路',
];
const NOTES = ['喜欢绿茶', '常在周末来店', '对价格敏感', '偏好线上下单', '生日前后送券', '', '', ''];
const PINYIN = ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou'];

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Generated {
  name: string;
  text: string;
  address: string;
  notes: string | null;
}

function customerAt(rand: () => number, i: number): Generated {
  // A Zipf-like draw over the surnames: the first few are by far the commonest.
  const surname = Array.from(SURNAMES)[Math.min(Math.floor(-Math.log(1 - rand()) * 12), 99)]!;
  const given = Array.from(GIVEN);
  const first = given[Math.floor(rand() * given.length)]!;
  const second = rand() < 0.6 ? given[Math.floor(rand() * given.length)]! : '';
  const name = surname + first + second;
  const city = CITIES[Math.floor(rand() * CITIES.length)]!;
  const street = STREETS[Math.floor(rand() * STREETS.length)]!;
  const address = `${street}${1 + Math.floor(rand() * 300)}号 ${city}`;
  const notes = NOTES[Math.floor(rand() * NOTES.length)]! || null;
  const email = `${PINYIN[Math.floor(rand() * PINYIN.length)]}${i}@example.cn`;
  const text = [name, email, address, notes ?? ''].join(' ').toLowerCase();
  return { name, text, address, notes };
}

async function load(db: Database, customers: number): Promise<void> {
  const rand = random(20261201);
  const now = new Date().toISOString();
  const chunk = 10_000;
  for (let first = 0; first < customers; first += chunk) {
    const rows = Array.from({ length: Math.min(chunk, customers - first) }, (_, k) =>
      customerAt(rand, first + k),
    );
    await db.knex.raw(
      `INSERT INTO customers (id, kind, category, name, sort_name, addresses, notes,
                              search_text, created_at, updated_at)
       SELECT id, 'person', 'consumer', name, name,
              jsonb_build_array(jsonb_build_object('line1', address)), notes, text, ?, ?
         FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(id, name, address, notes, text)`,
      [
        now,
        now,
        rows.map(() => newId()),
        rows.map((r) => r.name),
        rows.map((r) => r.address),
        rows.map((r) => r.notes) as string[],
        rows.map((r) => r.text),
      ],
    );
  }
  await db.knex.raw('VACUUM ANALYZE customers');
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function time(repo: CustomerRepository, query: Partial<CustomerListQuery>, repeats: number) {
  const ms: number[] = [];
  let found = 0;
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    const rows = await repo.list(query as CustomerListQuery, parseSort(undefined), 50);
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    found = rows.length;
  }
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), found };
}

async function main(): Promise<void> {
  const schema = values.schema ?? `bench_search_${Date.now()}`;
  const customers = Number(values.customers);
  if (!values.schema) {
    const setup = await createDatabase({ url: url! });
    await setup.knex.raw(`CREATE SCHEMA ${schema}`);
    await setup.knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
    await setup.close();
  }
  const db = await createDatabase({ url: url!, schema, statementTimeoutMs: 0 });
  try {
    await migrateToLatest(db.knex);
    if (!values.schema) {
      const start = Date.now();
      await load(db, customers);
      console.log(`loaded ${customers} customers in ${((Date.now() - start) / 1000).toFixed(0)} s`);
    }
    const repo = new CustomerRepository(db.knex);
    const repeats = Number(values.repeats);
    const queries: Array<[string, Partial<CustomerListQuery>]> = [
      ['no q (baseline: the plain list page)', {}],
      ['q=王 (commonest surname, one character)', { q: '王' }],
      ['q=汤 (rare surname, one character)', { q: '汤' }],
      ['q=王小明 (a full name)', { q: '王小明' }],
      ['q=建国路 (a street)', { q: '建国路' }],
      ['q=绿茶 (a word in the notes)', { q: '绿茶' }],
      ['q=zhao12345 (an email, Latin trigrams)', { q: 'zhao12345' }],
      ['q=不存在的 (nothing matches)', { q: '不存在的' }],
    ];
    // Interleaved rounds, so a noisy moment hits every query alike.
    const results = new Map<string, { p50: number[]; p99: number[]; found: number }>();
    for (let round = 0; round < 3; round++) {
      for (const [label, query] of queries) {
        const r = await time(repo, query, Math.ceil(repeats / 3));
        const entry = results.get(label) ?? { p50: [], p99: [], found: 0 };
        entry.p50.push(r.p50);
        entry.p99.push(r.p99);
        entry.found = r.found;
        results.set(label, entry);
      }
    }
    const base = percentile(results.get(queries[0]![0])!.p50, 50);
    console.log(`${customers} customers, ${repeats} reads per query, page of 50`);
    for (const [label, r] of results) {
      const p50 = percentile(r.p50, 50);
      console.log(
        `${label.padEnd(44)} p50 ${p50.toFixed(1).padStart(7)} ms  p99 ${Math.max(...r.p99)
          .toFixed(1)
          .padStart(7)} ms  x${(p50 / base).toFixed(1).padStart(5)} of baseline  rows ${r.found}`,
      );
    }
  } finally {
    await db.close();
    if (!values.keep && !values.schema) {
      const cleanup = await createDatabase({ url: url! });
      await cleanup.knex.raw(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.close();
    }
  }
}

void main();

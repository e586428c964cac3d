import fc from 'fast-check';
import type supertest from 'supertest';
import { createCustomer } from '../helpers/customers';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Property-based fuzzing of every operation the served OpenAPI document lists, so a route added
 * later is fuzzed without touching this file. Each request is hostile somewhere (path, query,
 * headers, body or content type), sent with the admin key. For every answer:
 *   - no 5xx;
 *   - a 4xx is problem+json with type, title, status, detail and code (docs/api.md "Errors");
 *   - a request that carries text the database cannot store (NUL, a lone surrogate, 1e400) in a
 *     part the operation validates is refused;
 *   - an answer that is not 2xx left every table exactly as it was (a digest of all rows).
 *     A 2xx may legitimately write, so after one the digest is simply taken again.
 * FUZZ_RUNS (requests per operation) and FUZZ_SEED change the budget and the sequence.
 */

const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
jest.setTimeout(600_000);

// ---------------------------------------------------------------- the document's operations

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  /** The top-level body fields and, for a batch body, the fields of one item. */
  bodyFields: string[];
  itemFields: string[] | null;
  bodyTypes: string[];
  /** The JSON body's example from the document: a valid body to spoil in one place. */
  example: unknown;
}

type Schema = { $ref?: string; properties?: Record<string, Schema>; items?: Schema; example?: unknown };
type Document = {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components?: { schemas?: Record<string, Schema> };
};

function resolve(document: Document, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let depth = 0; s.$ref && depth < 10; depth++)
    s = document.components?.schemas?.[s.$ref.split('/').pop()!] ?? {};
  return s;
}

function operationsOf(document: Document): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters = (op.parameters ?? []) as Array<{ in: string; name: string }>;
      const content = ((op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)
        ?.content ?? {}) as Record<string, { schema?: Schema }>;
      const body = resolve(document, content['application/json']?.schema);
      const items = body.properties?.items
        ? resolve(document, resolve(document, body.properties.items).items)
        : null;
      out.push({
        method,
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyFields: Object.keys(body.properties ?? {}),
        itemFields: items?.properties ? Object.keys(items.properties) : null,
        bodyTypes: Object.keys(content),
        example: body.example,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- hostile values

/** Text the database cannot store as sent: the API must refuse it wherever it validates. */
const UNSTORABLE = ['\u0000', 'a\u0000b', '\ud800', 'x\udc00y', 'tail\udbff'];
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const anyUnit = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 1, arbitrary: fc.constant('\u0000') },
);

const hostileText = (longest: number) =>
  fc.oneof(
    fc.constantFrom(
      ...UNSTORABLE,
      '',
      ' ',
      "' OR '1'='1",
      'Robert"); DROP TABLE customers;--',
      '../../etc/passwd',
      '%00',
      '😀',
      '王',
      '\u202e\ufeff',
      'null',
      'true',
      '-1',
      '0',
      '1e400',
      'NaN',
      'Infinity',
      '9'.repeat(400),
      '2026-02-30',
      '0192f3c4-0000-7000-8000-000000000000',
      '<script>alert(1)</script>',
      '${7*7}{{7*7}}',
      '\\',
      '"',
      '\r\n',
      '__proto__',
      'constructor',
      'x'.repeat(longest),
    ),
    fc.string({ unit: anyUnit, maxLength: 24 }),
  );

/** Stands for a JSON number no double can hold; replaced in the raw text after JSON.stringify. */
const HUGE_NUMBER = '\u0001HUGE\u0001';
const rawJson = (value: unknown) => JSON.stringify(value).split(JSON.stringify(HUGE_NUMBER)).join('1e400');

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileText(100_000) },
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, 2 ** 53 + 1, 1.5, -1, 1e308, HUGE_NUMBER),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileText(10), { maxLength: 3 }),
  fc.dictionary(hostileText(5), hostileText(5), { maxKeys: 3 }),
);

/** A poison the validator must refuse wherever it sits in a validated part. */
const poison = fc.constantFrom<unknown>(...UNSTORABLE, HUGE_NUMBER);

// ---------------------------------------------------------------- requests

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** Why this request must be refused, if it must. */
  mustRefuse: string | null;
}

/** encodeURIComponent, except that a lone surrogate goes out as its (invalid) UTF-8 bytes. */
function encodeLoosely(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      out +=
        `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    } else out += encodeURIComponent(char);
  }
  return out;
}

/** The oracle, independent of the code under test: NUL, or text that UTF-8 cannot carry unchanged. */
const hasUnstorable = (text: string) =>
  text.includes('\u0000') || Buffer.from(text, 'utf8').toString('utf8') !== text;

interface Segment {
  text: string;
  unstorable: boolean;
}

interface RealKeys {
  all: string[];
  /** Keys of seeded records by what a path parameter names (see `fittingKeys`). */
  byName: Record<string, string[]>;
}

/** Seeded keys that fit a path parameter: `{id}` after `/customers`, `{externalId}` under `/orders`, `{sku}`. */
function fittingKeys(path: string, param: string, keys: RealKeys): string[] {
  const parts = path.split('/');
  const at = parts.indexOf(`{${param}}`);
  const name =
    param === 'id' ? parts[at - 1]! : param === 'externalId' ? `${parts[at - 2]}/externalId` : param;
  return keys.byName[name] ?? keys.all;
}

function segmentArbitrary(fitting: string[], keys: RealKeys): fc.Arbitrary<Segment> {
  const encoded = (text: string): Segment => ({ text: encodeLoosely(text), unstorable: hasUnstorable(text) });
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...fitting).map(encoded) },
    { weight: 2, arbitrary: fc.constantFrom(...keys.all).map(encoded) },
    { weight: 3, arbitrary: hostileText(3000).map(encoded) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('%zz', '%', '%E0%A4', '%ED%A0%80', '%00', '%2F', '..', '.', '%2e%2e', '%C0%AF', 'a%00b')
        .map((text) => ({ text, unstorable: /%00|%ED%A0|%zz|%E0%A4$|^%$|%C0/.test(text) })),
    },
  );
}

function queryArbitrary(op: Operation): fc.Arbitrary<{ text: string; unstorable: boolean }> {
  const pair = (names: string[]) =>
    fc.tuple(fc.constantFrom(...names), hostileText(4000)).map(([name, value]) => ({
      text: `${encodeURIComponent(name)}=${encodeLoosely(value)}`,
      // A value with a bad byte sequence is kept undecoded (its %00 stays text), so only a NUL in
      // otherwise well-formed text is sure to reach the validator.
      unstorable:
        op.queryParams.includes(name) &&
        value.includes('\u0000') &&
        !hasUnstorable(value.split('\u0000').join('')),
    }));
  const unknown = ['__fuzz', '__proto__', 'constructor', 'limit', 'cursor'];
  const name =
    op.queryParams.length > 0
      ? fc.oneof({ weight: 4, arbitrary: pair(op.queryParams) }, pair(unknown))
      : pair(unknown);
  const hostile = fc.array(name, { minLength: 1, maxLength: 4 }).map((pairs) => ({
    text: pairs.map((p) => p.text).join('&'),
    unstorable: pairs.some((p) => p.unstorable),
  }));
  // Most requests are hostile in one or two places only, so that the rest reaches the handler.
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({ text: '', unstorable: false }) },
    { weight: 2, arbitrary: hostile },
  );
}

interface Body {
  text: string | undefined;
  contentType: string | undefined;
  poisoned: boolean;
}

function objectArbitrary(fields: string[]): fc.Arbitrary<Record<string, unknown>> {
  const candidates = [...new Set([...fields, '__fuzz', 'id', 'version'])];
  return fc
    .subarray(candidates, { maxLength: Math.min(6, candidates.length) })
    .chain((keys) =>
      fc
        .tuple(...keys.map(() => hostileValue))
        .map((values) => Object.fromEntries(keys.map((k, i) => [k, values[i]]))),
    );
}

/** An object body with a poison in one field (of one row, for a batch). */
function poisonedBodyArbitrary(op: Operation): fc.Arbitrary<unknown> {
  const withPoison = (fields: string[]) =>
    fc
      .tuple(objectArbitrary(fields), fc.constantFrom(...(fields.length > 0 ? fields : ['name'])), poison)
      .map(([object, field, value]) => ({ ...object, [field]: value }));
  if (!op.itemFields) return withPoison(op.bodyFields);
  const rows = op.itemFields;
  return fc
    .tuple(fc.array(objectArbitrary(rows), { maxLength: 5 }), withPoison(rows), fc.nat())
    .map(([items, bad, at]) => {
      const all = [...items];
      all.splice(at % (items.length + 1), 0, bad);
      return { items: all };
    });
}

type Leaf = { path: Array<string | number>; value: string | number };

/** The string and number leaves of a JSON value, with their paths. */
function leavesOf(value: unknown, path: Array<string | number> = []): Leaf[] {
  if (typeof value === 'string' || typeof value === 'number') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => leavesOf(v, [...path, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => leavesOf(v, [...path, k]));
  return [];
}

function replaced(value: unknown, path: Array<string | number>, leaf: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = leaf;
  return copy;
}

/**
 * The document's valid example with one leaf spoilt: with a poison (so the request must be
 * refused), or with a hostile but storable value (so the handler, not only the schema, meets it).
 */
function spoiltExampleArbitrary(example: unknown, spoil: fc.Arbitrary<(old: string | number) => unknown>) {
  const leaves = leavesOf(example);
  return fc
    .tuple(fc.constantFrom(...leaves), spoil)
    .map(([leaf, change]) => replaced(example, leaf.path, change(leaf.value)));
}

const poisonLeaf = fc.constantFrom<(old: string | number) => unknown>(
  (old) => `${old}\u0000`,
  (old) => `\u0000${old}`,
  (old) => `${old}\ud800`,
  (old) => `\udfff${old}`,
  () => HUGE_NUMBER,
);
const hostileLeaf = hostileValue.map((value) => () => value);

const MALFORMED_JSON = [
  '',
  '{',
  '{"a":',
  '[',
  'nul',
  "{'a':1}",
  '{"a":1,}',
  '\u0000',
  '"\\ud800"',
  '1e400',
  'null',
  '[]',
  '"x"',
  'true',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":1}{"b":2}',
  '\ufeff{}',
];

const OTHER_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=z',
  'application/x-ndjson',
  'text/csv',
  'application/problem+json',
  'application/json; charset=utf-16',
  'garbage',
];

function bodyArbitrary(op: Operation): fc.Arbitrary<Body> {
  const takesJson = op.bodyTypes.includes('application/json');
  const json = (text: string, poisoned: boolean): Body => ({
    text,
    contentType: 'application/json',
    poisoned,
  });
  const choices: Array<fc.WeightedArbitrary<Body>> = [
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_JSON).map((text) => json(text, false)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...OTHER_TYPES, ...op.bodyTypes), hostileText(1000))
        .map(([contentType, text]) => ({ text, contentType, poisoned: false })),
    },
    {
      weight: 1,
      arbitrary: fc.constant({ text: undefined, contentType: 'application/json', poisoned: false }),
    },
    {
      weight: takesJson ? 1 : 6,
      arbitrary: fc.constant({ text: undefined, contentType: undefined, poisoned: false }),
    },
  ];
  if (takesJson && leavesOf(op.example).length > 0) {
    choices.push({
      weight: 6,
      arbitrary: spoiltExampleArbitrary(op.example, poisonLeaf).map((value) => json(rawJson(value), true)),
    });
    choices.push({
      weight: 3,
      arbitrary: spoiltExampleArbitrary(op.example, hostileLeaf).map((value) => json(rawJson(value), false)),
    });
  }
  choices.push({
    weight: takesJson ? 3 : 1,
    arbitrary: poisonedBodyArbitrary(op).map((value) => json(rawJson(value), takesJson)),
  });
  choices.push({
    weight: takesJson ? 2 : 1,
    arbitrary: objectArbitrary(op.bodyFields).map((value) => json(rawJson(value), false)),
  });
  return fc.oneof(...choices);
}

const printable = fc
  .string({ unit: 'grapheme-ascii', maxLength: 40 })
  .map((v) => v.replace(/[^\x20-\x7e]/g, ' '));
const headerArbitrary: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    // Never a valid key: a claimed key (even for a 404) is a legitimate write by a refused request.
    'idempotency-key': fc.constantFrom('has space', 'k'.repeat(300), 'ü', '', 'tab\there'),
    'if-match': fc.oneof(
      fc.constantFrom('"v1"', '*', '"v99999999999999999999"', 'W/"v1"', `"${'9'.repeat(8000)}"`),
      printable,
    ),
    'if-none-match': fc.oneof(fc.constantFrom('"v1"', '*', 'W/"v1"', `x ${'y'.repeat(8000)}`), printable),
    accept: fc.oneof(
      fc.constantFrom('text/csv', 'application/xml', '*/*', 'application/json;q=0', 'text/html'),
      printable,
    ),
    'accept-language': fc.oneof(
      fc.constantFrom('zh-CN', 'en', 'xx', '*', 'zh-CN,zh;q=0.9,en;q=0.8'),
      printable,
    ),
    'x-request-id': fc.oneof(fc.constantFrom('trace-1', 'x'.repeat(300), '../..', ''), printable),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Record<string, string>>;

function requestArbitrary(op: Operation, keys: RealKeys): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      segments: fc.tuple(
        ...op.pathParams.map((name) => segmentArbitrary(fittingKeys(op.path, name, keys), keys)),
      ),
      query: queryArbitrary(op),
      headers: fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 2, arbitrary: headerArbitrary }),
      body: bodyArbitrary(op),
    })
    .map(({ segments, query, headers, body }) => {
      let path = op.path;
      op.pathParams.forEach((name, i) => (path = path.replace(`{${name}}`, segments[i]!.text)));
      const url = query.text ? `${path}?${query.text}` : path;
      const all: Record<string, string> = { ...headers };
      if (body.contentType) all['content-type'] = body.contentType;
      const reasons = [
        segments.some((s) => s.unstorable) ? 'a path parameter is not storable text' : '',
        query.unstorable ? 'a declared query parameter holds a NUL' : '',
        body.poisoned ? 'the JSON body holds unstorable text or 1e400' : '',
      ].filter(Boolean);
      return { method: op.method, url, headers: all, body: body.text, mustRefuse: reasons[0] ?? null };
    });
}

// ---------------------------------------------------------------- the app, its data and the checks

let t: TestApp;
let operations: Operation[];
let realKeys: RealKeys;

async function seed(): Promise<RealKeys> {
  const buyer = await createCustomer(t, {
    name: 'Fuzz Buyer',
    externalId: 'FZ-1',
    kind: 'organization',
    region: 'north',
  });
  const other = await createCustomer(t, {
    name: 'Fuzz Other',
    externalId: 'FZ-2',
    kind: 'organization',
    category: 'channel',
  });
  const ok = (res: supertest.Response, what: string) => {
    if (res.status >= 300) throw new Error(`seeding ${what}: ${res.status} ${res.text}`);
    return res.body as Record<string, unknown>;
  };
  const product = ok(
    await t
      .admin()
      .post('/v1/products')
      .send({ sku: 'FZ-SKU', name: 'Widget', listPrice: '10.00', currency: 'USD' }),
    'product',
  );
  const order = ok(
    await t
      .admin()
      .post('/v1/orders')
      .send({
        externalId: 'FZ-SO-1',
        customerId: buyer.id,
        orderedAt: '2026-11-20T10:00:00Z',
        amount: '20.00',
        currency: 'USD',
        lines: [{ sku: 'FZ-SKU', quantity: 2, unitPrice: '10.00' }],
      }),
    'order',
  );
  const payment = ok(
    await t.admin().post('/v1/payments').send({
      externalId: 'FZ-RC-1',
      customerId: buyer.id,
      amount: '5.00',
      currency: 'USD',
      receivedAt: '2026-11-21T10:00:00Z',
    }),
    'payment',
  );
  const contact = ok(
    await t.admin().post(`/v1/customers/${buyer.id}/contacts`).send({ name: 'Grace' }),
    'contact',
  );
  const relationship = ok(
    await t
      .admin()
      .post(`/v1/customers/${buyer.id}/relationships`)
      .send({ type: 'parent-company', otherCustomerId: other.id }),
    'relationship',
  );
  const key = ok(
    await t
      .admin()
      .post('/v1/api-keys')
      .send({ name: 'fuzz', scopes: ['customers:read'] }),
    'key',
  );
  const job = ok(
    await t
      .admin()
      .post('/v1/imports?resource=customers')
      .set('content-type', 'application/x-ndjson')
      .send(`${JSON.stringify({ externalId: 'FZ-3', name: 'Imported' })}\n`),
    'import',
  );
  const run = ok(await t.admin().post('/v1/analytics/runs').send({}), 'analytics run');
  await t.app.services.analyticsRuns.idle();
  const id = (record: Record<string, unknown>) => String(record.id);
  const byName: Record<string, string[]> = {
    customers: [buyer.id, other.id],
    products: [id(product)],
    orders: [id(order)],
    payments: [id(payment)],
    'api-keys': [id(key)],
    imports: [id(job)],
    runs: [id(run)],
    contactId: [id(contact)],
    relationshipId: [id(relationship)],
    sku: ['FZ-SKU'],
    'customers/externalId': ['FZ-1', 'FZ-2'],
    'orders/externalId': ['FZ-SO-1'],
    'payments/externalId': ['FZ-RC-1'],
    resource: ['customers', 'orders', 'payments', 'products'],
  };
  return { all: [...new Set(Object.values(byName).flat())], byName };
}

/** One digest of every row of every table in the test database's schema. */
async function digest(): Promise<string> {
  const knex = t.db.knex;
  const tables = (await knex('information_schema.tables')
    .select('table_name')
    .where('table_schema', knex.raw('current_schema()'))
    .andWhere('table_type', 'BASE TABLE')
    .orderBy('table_name')) as Array<{ table_name: string }>;
  const sql = tables
    .map(
      ({ table_name: name }) =>
        `SELECT '${name}' AS name, count(*)::text AS n, coalesce(md5(string_agg(md5(r::text), ',' ORDER BY md5(r::text))), '') AS d FROM "${name}" r`,
    )
    .join(' UNION ALL ');
  const result = (await knex.raw(sql)) as { rows: Array<{ name: string; n: string; d: string }> };
  return result.rows.map((r) => `${r.name}:${r.n}:${r.d}`).join(' ');
}

const head = (text: string | undefined, n = 300) =>
  text === undefined
    ? '(none)'
    : JSON.stringify(text.length > n ? `${text.slice(0, n)}... (${text.length} chars)` : text);

function describeCase(request: FuzzRequest, res: supertest.Response | undefined, why: string): string {
  return [
    why,
    `request: ${request.method.toUpperCase()} ${head(request.url, 400)}`,
    ...Object.entries(request.headers).map(([name, value]) => `  ${name}: ${head(value, 120)}`),
    `  body: ${head(request.body)}`,
    res
      ? `answer: ${res.status} ${String(res.headers['content-type'])} ${head(res.text, 600)}`
      : 'answer: none',
  ].join('\n');
}

async function send(request: FuzzRequest): Promise<supertest.Response> {
  let call = (t.admin() as unknown as Record<string, (url: string) => supertest.Test>)[request.method]!(
    request.url,
  );
  for (const [name, value] of Object.entries(request.headers)) call = call.set(name, value);
  if (request.body !== undefined) call = call.send(request.body);
  return call;
}

/** Checks one answer; throws with the whole case when a rule is broken. */
function checkAnswer(request: FuzzRequest, res: supertest.Response): void {
  const fail = (why: string) => {
    throw new Error(describeCase(request, res, why));
  };
  if (res.status >= 500) fail(`a ${res.status}`);
  if (request.mustRefuse && res.status < 400) fail(`accepted although ${request.mustRefuse}`);
  if (res.status < 400) return;
  if (!/^application\/problem\+json/.test(String(res.headers['content-type'])))
    fail('a 4xx that is not problem+json');
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(res.text) as Record<string, unknown>;
  } catch {
    return fail('a problem body that is not JSON');
  }
  for (const field of ['type', 'title', 'detail', 'code'])
    if (typeof problem[field] !== 'string') fail(`a problem without a string "${field}"`);
  if (problem.status !== res.status) fail('a problem whose status differs from the answer');
}

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_MAX: '1000000', AUTH_FAILURE_MAX: '1000000' });
  realKeys = await seed();
  operations = operationsOf(t.app.swagger() as unknown as Document);
}, 300_000);
afterAll(async () => t?.close());

test('every operation of the OpenAPI document stands up to hostile requests', async () => {
  expect(operations.length).toBeGreaterThan(50);
  let baseline = await digest();
  const failures: string[] = [];
  const statuses: Record<string, Record<number, number>> = {};
  for (const [n, op] of operations.entries()) {
    try {
      await fc.assert(
        fc.asyncProperty(requestArbitrary(op, realKeys), async (request) => {
          const res = await send(request);
          const tally = (statuses[`${op.method.toUpperCase()} ${op.path}`] ??= {});
          tally[res.status] = (tally[res.status] ?? 0) + 1;
          if (res.status >= 200 && res.status < 300) {
            // A write that was accepted may start background work (an analytics run): let it end.
            await t.app.services.analyticsRuns.idle();
            baseline = await digest();
          } else {
            const before = baseline;
            baseline = await digest();
            if (baseline !== before) {
              const changed = baseline.split(' ').filter((entry) => !before.split(' ').includes(entry));
              throw new Error(
                describeCase(request, res, `a refused request changed stored data: ${changed.join(', ')}`),
              );
            }
          }
          checkAnswer(request, res);
        }),
        { seed: SEED + n, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
    } catch (error) {
      // fast-check's message prints the whole counterexample (100 KB strings); the cause is the case.
      const { message, cause } = error as Error & { cause?: unknown };
      const replay = message.split('\n').slice(0, 2).join(' ');
      failures.push(
        `${op.method.toUpperCase()} ${op.path} (${replay})\n${cause instanceof Error ? cause.message : message}`,
      );
    }
  }
  // FUZZ_STATS=1 shows what the requests met, to see that they reach the handlers, not only the schemas.
  if (process.env.FUZZ_STATS) console.log(JSON.stringify(statuses, null, 1));
  if (failures.length > 0)
    throw new Error(`${failures.length} operations failed:\n\n${failures.join('\n\n')}`);
});

import { testClock } from '../helpers/clock';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The four batch endpoints answer the same mistake the same way (docs/api.md "Batch errors"):
 * the same codes, statuses, paths and indexes, and a refusal writes nothing at all.
 */

const clock = testClock('2026-05-01T00:00:00.000Z');
jest.setTimeout(120_000);
let t: TestApp;
let deletedCustomer: { id: string };

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  await createCustomer(t, { name: 'Live buyer', externalId: 'BC-LIVE' });
  deletedCustomer = await createCustomer(t, { name: 'Gone buyer', externalId: 'BC-GONE' });
  await t.admin().delete(`/v1/customers/${deletedCustomer.id}`).expect(204);
});
afterAll(async () => t.close());

const count = async (table: string) => {
  const [row] = await t.db.knex(table).count<Array<{ count: string | number }>>('* as count');
  return Number(row?.count ?? 0);
};

interface Endpoint {
  resource: string;
  table: string;
  key: 'externalId' | 'sku';
  /** A valid new row whose key is `key`. */
  row: (key: string) => Record<string, unknown>;
  /** Rows name their customer (orders, payments). */
  namesCustomer: boolean;
  /** A new record needs a name (customers, products). */
  needsName: boolean;
}

const endpoints: Endpoint[] = [
  {
    resource: 'customers',
    table: 'customers',
    key: 'externalId',
    row: (key) => ({ externalId: key, name: `Customer ${key}` }),
    namesCustomer: false,
    needsName: true,
  },
  {
    resource: 'products',
    table: 'products',
    key: 'sku',
    row: (key) => ({ sku: key, name: `Product ${key}` }),
    namesCustomer: false,
    needsName: true,
  },
  {
    resource: 'orders',
    table: 'orders',
    key: 'externalId',
    row: (key) => ({
      externalId: key,
      customerExternalId: 'BC-LIVE',
      orderedAt: '2026-04-01T10:00:00Z',
      amount: '10.00',
      currency: 'USD',
    }),
    namesCustomer: true,
    needsName: false,
  },
  {
    resource: 'payments',
    table: 'payments',
    key: 'externalId',
    row: (key) => ({
      externalId: key,
      customerExternalId: 'BC-LIVE',
      amount: '5.00',
      currency: 'USD',
      receivedAt: '2026-04-02T09:00:00Z',
    }),
    namesCustomer: true,
    needsName: false,
  },
];

describe.each(endpoints)('POST /v1/$resource/batch', (e) => {
  const path = `/v1/${e.resource}/batch`;
  const batch = (items: unknown[]) => t.admin().post(path).send({ items });
  const rows = (prefix: string, n = 3) =>
    Array.from({ length: n }, (_, i) => e.row(`${e.resource}-${prefix}-${i}`));

  /** Runs a refused request and asserts that neither the resource table nor `events` changed. */
  async function writesNothing<T>(send: () => Promise<T>): Promise<T> {
    const before = { records: await count(e.table), events: await count('events') };
    const result = await send();
    expect({ records: await count(e.table), events: await count('events') }).toEqual(before);
    return result;
  }

  test('an unknown field in row 2 is 400 validation_failed at body/items/2/<field>, and writes nothing', async () => {
    const items = rows('unknown');
    items[2] = { ...items[2], nickname: 'x' };
    const problem = await writesNothing(async () =>
      expectProblem(await batch(items), 400, 'validation_failed'),
    );
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: 'body/items/2/nickname', message: 'is not a known field', index: 2 }),
    ]);
  });

  test(`a repeated ${e.key} in row 1 is 400 duplicate_in_batch at body/items/1/${e.key}, and writes nothing`, async () => {
    const items = rows('repeat');
    items[1] = { ...items[1], [e.key]: items[0]![e.key] };
    const problem = await writesNothing(async () =>
      expectProblem(await batch(items), 400, 'duplicate_in_batch'),
    );
    expect(problem.errors).toEqual([
      {
        path: `body/items/1/${e.key}`,
        message: expect.stringMatching(/row 0/),
        index: 1,
        code: 'duplicate_in_batch',
      },
    ]);
  });

  if (e.namesCustomer) {
    test('an unknown customerExternalId and a deleted customer are 422 customer_not_found, and write nothing', async () => {
      const items = rows('customer');
      items[0] = { ...items[0], customerExternalId: 'BC-NOBODY' };
      const { customerExternalId: _named, ...rest } = items[1]!;
      items[1] = { ...rest, customerId: deletedCustomer.id };
      const problem = await writesNothing(async () =>
        expectProblem(await batch(items), 422, 'customer_not_found'),
      );
      expect(problem.errors).toEqual([
        {
          path: 'body/items/0/customerExternalId',
          message: expect.any(String),
          index: 0,
          code: 'customer_not_found',
        },
        {
          path: 'body/items/1/customerId',
          message: expect.any(String),
          index: 1,
          code: 'customer_not_found',
        },
      ]);
    });
  }

  if (e.needsName) {
    test('a new record without name is 422 name_required at body/items/<n>/name, and writes nothing', async () => {
      const existing = rows('named', 1)[0]!;
      await batch([existing]).expect(200);
      const { name: _name, ...nameless } = rows('nameless', 1)[0]!;
      // Row 0 updates an existing record and may leave the name out; row 1 would create one.
      const { name: _kept, ...existingWithoutName } = existing;
      const items = [existingWithoutName, nameless, rows('fine', 1)[0]!];
      const problem = await writesNothing(async () =>
        expectProblem(await batch(items), 422, 'name_required'),
      );
      expect(problem.errors).toEqual([
        { path: 'body/items/1/name', message: expect.any(String), index: 1, code: 'name_required' },
      ]);
    });
  }

  test(`a valid batch is 200 { results: [{ index, id, ${e.key}, outcome }] } in input order; resending it is unchanged and writes no events`, async () => {
    const items = rows('valid');
    const keys = items.map((item) => item[e.key] as string);
    const eventsBefore = await count('events');
    const first = await batch(items);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      results: keys.map((key, index) => ({
        index,
        id: expect.any(String),
        [e.key]: key,
        outcome: 'created',
      })),
    });
    const ids = (first.body.results as Array<{ id: string }>).map((r) => r.id);
    expect(new Set(ids).size).toBe(3);
    const stored = await t.db.knex(e.table).whereIn('id', ids).select('id');
    expect(stored.map((r: { id: string }) => r.id).sort()).toEqual([...ids].sort());
    // One `<resource>.created` event per record, and no other event.
    const written = await t.db.knex('events').whereIn('entity_id', ids).select('type', 'entity_id');
    expect(written.map((r: { type: string; entity_id: string }) => [r.entity_id, r.type]).sort()).toEqual(
      ids.map((id) => [id, `${e.resource.slice(0, -1)}.created`]).sort(),
    );
    expect(await count('events')).toBe(eventsBefore + 3);

    clock.advance(60_000);
    const records = await count(e.table);
    const events = await count('events');
    const again = await batch(items);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      results: keys.map((key, index) => ({ index, id: ids[index], [e.key]: key, outcome: 'unchanged' })),
    });
    expect(await count(e.table)).toBe(records);
    expect(await count('events')).toBe(events);
  });
});

describe('the single-body form', () => {
  test('POST /v1/orders with an unknown customerId is 422 customer_not_found at body/customerId without index', async () => {
    const before = { orders: await count('orders'), events: await count('events') };
    const res = await t.admin().post('/v1/orders').send({
      externalId: 'BC-SINGLE',
      customerId: '0192f3c4-0000-7000-8000-000000000000',
      orderedAt: '2026-04-01T10:00:00Z',
      amount: '10.00',
      currency: 'USD',
    });
    const problem = expectProblem(res, 422, 'customer_not_found');
    expect(problem.errors).toEqual([
      { path: 'body/customerId', message: expect.any(String), code: 'customer_not_found' },
    ]);
    expect({ orders: await count('orders'), events: await count('events') }).toEqual(before);
  });
});

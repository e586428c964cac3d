import { parse } from 'csv-parse/sync';
import type { Response } from 'supertest';
import { Customer } from '../../src/modules/customers/schemas';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

// Loads of 1,000 rows on a shared, busy machine need more than the default 30 s.
jest.setTimeout(180_000);
let t: TestApp;

const CUSTOMERS = 1100;
const ORDERS = 600;
const PAYMENTS = 520;

/** The raw text of a streamed response, whatever its content type. */
const text = (request: ReturnType<TestApp['admin']>['get'] extends (...a: never[]) => infer R ? R : never) =>
  request.buffer(true).parse((res, callback) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (body += chunk));
    res.on('end', () => callback(null, body));
  });
const ndjsonOf = (res: Response) =>
  (res.body as string)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  t = await createTestApp();
  await t.admin().post('/v1/products').send({ sku: 'EXP-1', name: 'Thing' });
  for (let start = 0; start < CUSTOMERS; start += 1000) {
    const items = Array.from({ length: Math.min(1000, CUSTOMERS - start) }, (_, k) => ({
      externalId: `E-C-${start + k}`,
      name: `Export ${start + k}`,
      tags: (start + k) % 2 === 0 ? ['even'] : [],
    }));
    expect((await t.admin().post('/v1/customers/batch').send({ items })).status).toBe(200);
  }
  const orders = Array.from({ length: ORDERS }, (_, i) => ({
    externalId: `E-O-${i}`,
    customerExternalId: `E-C-${i % 50}`,
    orderedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
    amount: '2.00',
    currency: 'USD',
    ...(i % 3 === 0 ? { lines: [{ sku: 'EXP-1', quantity: 2, unitPrice: '1.00' }] } : {}),
  }));
  expect((await t.admin().post('/v1/orders/batch').send({ items: orders })).status).toBe(200);
  const payments = Array.from({ length: PAYMENTS }, (_, i) => ({
    externalId: `E-P-${i}`,
    customerExternalId: `E-C-${i % 50}`,
    receivedAt: new Date(Date.UTC(2026, 1, 1) + i * 60_000).toISOString(),
    amount: '1.00',
    currency: 'USD',
  }));
  expect((await t.admin().post('/v1/payments/batch').send({ items: payments })).status).toBe(200);
  const [deleted] = await t.db.knex('customers').where({ external_id: 'E-C-7' }).pluck('id');
  expect((await t.admin().delete(`/v1/customers/${deleted}`)).status).toBe(204);
});
afterAll(async () => t.close());

test('customers as NDJSON: every live one once, in id order, as GET shows them', async () => {
  const res = await text(t.admin().get('/v1/exports/customers'));
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
  expect(res.headers['content-disposition']).toBe('attachment; filename="customers.ndjson"');
  const records = ndjsonOf(res);
  expect(records).toHaveLength(CUSTOMERS - 1);
  const ids = records.map((r) => r.id as string);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(ids);
  expect(records.some((r) => r.externalId === 'E-C-7')).toBe(false);
  const one = await t.admin().get('/v1/customers/external/E-C-42');
  expect(records.find((r) => r.externalId === 'E-C-42')).toEqual(one.body);

  const withDeleted = ndjsonOf(await text(t.admin().get('/v1/exports/customers?includeDeleted=true')));
  expect(withDeleted).toHaveLength(CUSTOMERS);
  expect(withDeleted.find((r) => r.externalId === 'E-C-7')?.deletedAt).toEqual(expect.any(String));
});

test('customers as CSV (format=csv or Accept: text/csv): a header, then one row per customer', async () => {
  const byQuery = await text(t.admin().get('/v1/exports/customers?format=csv'));
  const byAccept = await text(t.admin().get('/v1/exports/customers').set('accept', 'text/csv'));
  for (const res of [byQuery, byAccept]) {
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
  }
  expect(byAccept.body).toBe(byQuery.body);
  const rows = parse(byQuery.body as string) as string[][];
  expect(rows[0]).toEqual(Object.keys(Customer.properties));
  expect(rows).toHaveLength(CUSTOMERS);
  const header = rows[0]!;
  const records = rows.slice(1).map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
  const even = records.find((r) => r.externalId === 'E-C-10')!;
  expect(JSON.parse(even.tags!)).toEqual(['even']);
  expect(even.name).toBe('Export 10');
  expect(records.find((r) => r.externalId === 'E-C-11')!.tags).toBe('[]');
});

test('orders and payments: every row, more than one page, as NDJSON and CSV', async () => {
  const orders = ndjsonOf(await text(t.admin().get('/v1/exports/orders')));
  expect(orders).toHaveLength(ORDERS);
  expect(new Set(orders.map((o) => o.externalId)).size).toBe(ORDERS);
  expect(orders.find((o) => o.externalId === 'E-O-3')?.lines).toEqual([
    expect.objectContaining({ sku: 'EXP-1', quantity: 2, total: '2.00' }),
  ]);
  const ordersCsv = parse(
    (await text(t.admin().get('/v1/exports/orders?format=csv'))).body as string,
  ) as string[][];
  expect(ordersCsv).toHaveLength(ORDERS + 1);
  expect(ordersCsv[0]).toEqual(expect.arrayContaining(['id', 'externalId', 'lines', 'crossRegion']));
  const crossRegion = ordersCsv[0]!.indexOf('crossRegion');
  expect(new Set(ordersCsv.slice(1).map((row) => row[crossRegion]))).toEqual(new Set(['false']));

  const payments = ndjsonOf(await text(t.admin().get('/v1/exports/payments')));
  expect(payments).toHaveLength(PAYMENTS);
  expect(new Set(payments.map((p) => p.id)).size).toBe(PAYMENTS);
  const paymentsCsv = parse(
    (await text(t.admin().get('/v1/exports/payments?format=csv'))).body as string,
  ) as string[][];
  expect(paymentsCsv).toHaveLength(PAYMENTS + 1);
});

test('an unknown resource is 400; the read scope of the resource is needed', async () => {
  expectProblem(await t.admin().get('/v1/exports/widgets'), 400, 'validation_failed');
  expectProblem(await t.admin().get('/v1/exports/customers?format=xml'), 400, 'validation_failed');
  const ordersReader = await t.keyWith('orders:read');
  expectProblem(await t.as(ordersReader).get('/v1/exports/customers'), 403, 'forbidden');
  expectProblem(await t.as(ordersReader).get('/v1/exports/payments'), 403, 'forbidden');
  expect((await text(t.as(ordersReader).get('/v1/exports/orders'))).status).toBe(200);
  expectProblem(await t.http().get('/v1/exports/orders'), 401);
});

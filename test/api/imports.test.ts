import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(120_000);
let t: TestApp;

const count = async (table: string) => {
  const [row] = await t.db.knex(table).count<Array<{ count: string | number }>>('* as count');
  return Number(row?.count ?? 0);
};
const ndjson = (rows: unknown[]) =>
  rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
const upload = (query: string, body: string, type = 'application/x-ndjson') =>
  t.admin().post(`/v1/imports?${query}`).set('content-type', type).send(body);

beforeAll(async () => {
  t = await createTestApp();
  expect((await t.admin().post('/v1/products').send({ sku: 'IMP-1', name: 'Thing' })).status).toBe(201);
});
afterAll(async () => t.close());

describe('NDJSON and CSV imports of each resource', () => {
  test('customers as NDJSON: written, and the job reports it (201, Location, GET, list)', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({
      externalId: `N-C-${i}`,
      name: `Ndjson ${i}`,
      tags: ['imported'],
    }));
    const res = await upload('resource=customers&format=ndjson', ndjson(rows));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/imports/${res.body.id}`);
    expect(res.body).toEqual(
      expect.objectContaining({
        resource: 'customers',
        format: 'ndjson',
        mode: 'partial',
        status: 'done',
        linesRead: 5,
        rowsWritten: 5,
        rowsCreated: 5,
        rowsRejected: 0,
        rejections: [],
        lastCommittedLine: 5,
      }),
    );
    const customer = await t.admin().get('/v1/customers/external/N-C-3');
    expect(customer.body).toEqual(expect.objectContaining({ name: 'Ndjson 3', tags: ['imported'] }));
    const job = await t.admin().get(`/v1/imports/${res.body.id}`);
    expect(job.body).toEqual(res.body);
    const list = await t.admin().get('/v1/imports?limit=1');
    expect(list.body.data[0]).toEqual(expect.objectContaining({ id: res.body.id, status: 'done' }));
    expect(list.body.data[0].rejections).toBeUndefined();
  });

  test('customers as CSV: header names the fields, empty cells are left out, lists are JSON cells', async () => {
    const csv = [
      'externalId,name,region,tags,kind',
      'CSV-C-1,"Acme, Ltd",north,"[""vip""]",organization',
      'CSV-C-2,Plain Person,,,',
    ].join('\r\n');
    const res = await upload('resource=customers', csv, 'text/csv');
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({ format: 'csv', status: 'done', rowsCreated: 2, lastCommittedLine: 3 }),
    );
    const acme = await t.admin().get('/v1/customers/external/CSV-C-1');
    expect(acme.body).toEqual(
      expect.objectContaining({ name: 'Acme, Ltd', region: 'north', tags: ['vip'], kind: 'organization' }),
    );
    const plain = await t.admin().get('/v1/customers/external/CSV-C-2');
    expect(plain.body.region).toBeNull();
  });

  test('orders as NDJSON (with lines) and as CSV; payments as NDJSON and as CSV', async () => {
    const orders = [
      {
        externalId: 'N-O-1',
        customerExternalId: 'N-C-0',
        orderedAt: '2026-03-01T10:00:00Z',
        amount: '30.00',
        currency: 'USD',
        lines: [{ sku: 'IMP-1', quantity: 3, unitPrice: '10.00' }],
      },
      {
        externalId: 'N-O-2',
        customerExternalId: 'N-C-1',
        orderedAt: '2026-03-02T10:00:00Z',
        amount: '5.50',
        currency: 'USD',
      },
    ];
    const o = await upload('resource=orders', ndjson(orders));
    expect(o.body).toEqual(expect.objectContaining({ status: 'done', rowsCreated: 2 }));
    const withLines = await t.admin().get('/v1/orders/external/N-O-1');
    expect(withLines.body.lines).toEqual([
      expect.objectContaining({ sku: 'IMP-1', quantity: 3, total: '30.00' }),
    ]);

    const csvOrders = [
      'externalId,customerExternalId,orderedAt,amount,currency,paymentTermsDays,status',
      'C-O-1,N-C-2,2026-03-03T10:00:00Z,12.00,USD,14,shipped',
    ].join('\n');
    const oc = await upload('resource=orders&format=csv', csvOrders, 'text/csv');
    expect(oc.body).toEqual(expect.objectContaining({ status: 'done', rowsCreated: 1 }));
    const csvOrder = await t.admin().get('/v1/orders/external/C-O-1');
    expect(csvOrder.body).toEqual(
      expect.objectContaining({ paymentTermsDays: 14, status: 'shipped', amount: '12.00' }),
    );

    const payments = [
      {
        externalId: 'N-P-1',
        customerExternalId: 'N-C-0',
        amount: '30.00',
        currency: 'USD',
        receivedAt: '2026-03-05T10:00:00Z',
      },
    ];
    const p = await upload('resource=payments', ndjson(payments));
    expect(p.body).toEqual(expect.objectContaining({ status: 'done', rowsCreated: 1 }));
    const csvPayments = [
      'externalId,customerExternalId,amount,currency,receivedAt,method',
      'C-P-1,N-C-1,5.50,USD,2026-03-06T10:00:00Z,cash',
    ].join('\n');
    const pc = await upload('resource=payments', csvPayments, 'text/csv; charset=utf-8');
    expect(pc.body).toEqual(expect.objectContaining({ status: 'done', rowsCreated: 1 }));
    const payment = await t.admin().get('/v1/payments?customerId=' + withLines.body.customerId);
    expect(payment.body.data.map((x: { externalId: string }) => x.externalId)).toContain('N-P-1');
    expect(await count('payments')).toBe(2);
  });
});

describe('bad rows', () => {
  const good = (i: number) => ({
    externalId: `BAD-O-${i}`,
    customerExternalId: `N-C-${i % 5}`,
    orderedAt: '2026-04-01T10:00:00Z',
    amount: `${i + 1}.00`,
    currency: 'USD',
  });

  test('bad JSON, a schema error and an unknown customer are reported by line; the rest is written', async () => {
    const before = await count('orders');
    const lines = [
      good(0), // 1
      '{"externalId": "BAD-O-x", ', // 2: not JSON
      good(1), // 3
      { ...good(2), amount: '1e5' }, // 4: schema
      { ...good(3), customerExternalId: 'nobody' }, // 5: unknown customer, found by the batch service
      '', // 6: blank, skipped
      good(4), // 7
      { ...good(5), colour: 'red' }, // 8: unknown field
      good(6), // 9
      '[1, 2]', // 10: not an object
      good(7), // 11
    ];
    const res = await upload('resource=orders&batchSize=3', ndjson(lines));
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        status: 'done',
        linesRead: 11,
        rowsWritten: 5,
        rowsRejected: 5,
        lastCommittedLine: 11,
      }),
    );
    expect(res.body.rejections).toEqual([
      { line: 2, code: 'invalid_json', reason: 'the line is not valid JSON' },
      {
        line: 4,
        externalId: 'BAD-O-2',
        code: 'validation_failed',
        reason: expect.stringMatching(/^amount /),
      },
      {
        line: 5,
        externalId: 'BAD-O-3',
        code: 'customer_not_found',
        reason: 'customerExternalId no customer has externalId nobody',
      },
      { line: 8, externalId: 'BAD-O-5', code: 'validation_failed', reason: 'colour is not a known field' },
      { line: 10, code: 'invalid_json', reason: 'the line must be a JSON object' },
    ]);
    expect(await count('orders')).toBe(before + 5);
    for (const i of [0, 1, 4, 6, 7])
      expect((await t.admin().get(`/v1/orders/external/BAD-O-${i}`)).status).toBe(200);
    expect((await t.admin().get('/v1/orders/external/BAD-O-3')).status).toBe(404);
  });

  test('CSV: a row with the wrong number of fields or a bad JSON cell is rejected by line', async () => {
    const csv = [
      'externalId,customerExternalId,orderedAt,amount,currency,lines',
      'CB-1,N-C-0,2026-04-02T10:00:00Z,1.00,USD,',
      'CB-2,N-C-0,2026-04-02T10:00:00Z,1.00',
      'CB-3,N-C-0,2026-04-02T10:00:00Z,1.00,USD,[not json',
      'CB-4,N-C-0,2026-04-02T10:00:00Z,1.00,USD,"[{""sku"":""IMP-1"",""quantity"":1,""unitPrice"":""1.00""}]"',
    ].join('\n');
    const res = await upload('resource=orders', csv, 'text/csv');
    expect(res.body).toEqual(expect.objectContaining({ status: 'done', rowsWritten: 2, rowsRejected: 2 }));
    expect(res.body.rejections.map((r: { line: number; code: string }) => [r.line, r.code])).toEqual([
      [3, 'invalid_csv'],
      [4, 'invalid_csv'],
    ]);
    expect((await t.admin().get('/v1/orders/external/CB-4')).body.lines).toHaveLength(1);
  });

  test('a CSV header with an unknown column fails the job before any row', async () => {
    const res = await upload('resource=customers', 'externalId,name,shoeSize\nX-1,Someone,44\n', 'text/csv');
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toMatch(/^Line 1: .*unknown columns: shoeSize/);
    expect((await t.admin().get('/v1/customers/external/X-1')).status).toBe(404);
  });

  test('mode=atomic: one bad row and nothing is written; the job fails naming it', async () => {
    const before = await count('orders');
    const rows = Array.from({ length: 7 }, (_, i) => ({ ...good(100 + i), externalId: `ATOM-${i}` }));
    rows[5] = { ...rows[5]!, customerExternalId: 'nobody' };
    const res = await upload('resource=orders&mode=atomic&batchSize=2', ndjson(rows));
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        mode: 'atomic',
        status: 'failed',
        linesRead: 7,
        rowsWritten: 0,
        rowsCreated: 0,
        rowsRejected: 1,
        lastCommittedLine: 0,
        rejections: [expect.objectContaining({ line: 6, externalId: 'ATOM-5', code: 'customer_not_found' })],
      }),
    );
    expect(await count('orders')).toBe(before);

    rows[5] = { ...rows[5]!, customerExternalId: 'N-C-0' };
    const fixed = await upload(`resource=orders&mode=atomic&batchSize=2&jobId=${res.body.id}`, ndjson(rows));
    expect(fixed.status).toBe(200);
    expect(fixed.body).toEqual(
      expect.objectContaining({
        id: res.body.id,
        status: 'done',
        rowsCreated: 7,
        rowsRejected: 0,
        rejections: [],
      }),
    );
    expect(await count('orders')).toBe(before + 7);
  });
});

describe('re-runs and resumes', () => {
  const rows = Array.from({ length: 10 }, (_, i) => ({ externalId: `RR-${i}`, name: `Rerun ${i}` }));

  test('re-running the same file writes nothing new: every row unchanged', async () => {
    const first = await upload('resource=customers&batchSize=4', ndjson(rows));
    expect(first.body).toEqual(expect.objectContaining({ rowsCreated: 10 }));
    const customers = await count('customers');
    const audit = await count('events');
    const again = await upload('resource=customers&batchSize=4', ndjson(rows));
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.body.id);
    expect(again.body).toEqual(
      expect.objectContaining({
        status: 'done',
        rowsWritten: 10,
        rowsCreated: 0,
        rowsUpdated: 0,
        rowsUnchanged: 10,
      }),
    );
    expect(await count('customers')).toBe(customers);
    expect(await count('events')).toBe(audit);
  });

  test('resume with jobId skips the committed lines', async () => {
    const all = Array.from({ length: 10 }, (_, i) => ({ externalId: `RS-${i}`, name: `Resume ${i}` }));
    const firstPart = await upload('resource=customers&batchSize=3', ndjson(all.slice(0, 6)));
    expect(firstPart.body).toEqual(expect.objectContaining({ lastCommittedLine: 6, rowsCreated: 6 }));
    const resumed = await upload(`resource=customers&batchSize=3&jobId=${firstPart.body.id}`, ndjson(all));
    expect(resumed.status).toBe(200);
    // Had lines 1-6 been read again they would count as unchanged.
    expect(resumed.body).toEqual(
      expect.objectContaining({
        id: firstPart.body.id,
        status: 'done',
        linesRead: 10,
        rowsWritten: 10,
        rowsCreated: 10,
        rowsUnchanged: 0,
        lastCommittedLine: 10,
      }),
    );
  });

  test('a later line for the same externalId updates the record', async () => {
    const res = await upload(
      'resource=customers',
      ndjson([
        { externalId: 'TWICE', name: 'First' },
        { externalId: 'TWICE', name: 'Second' },
      ]),
    );
    expect(res.body).toEqual(expect.objectContaining({ rowsCreated: 1, rowsUpdated: 1, rowsRejected: 0 }));
    expect((await t.admin().get('/v1/customers/external/TWICE')).body.name).toBe('Second');
  });

  test('resuming needs the same resource, format and mode, and an existing job', async () => {
    const job = await upload('resource=customers', ndjson([{ externalId: 'MM-1', name: 'M' }]));
    expectProblem(await upload(`resource=orders&jobId=${job.body.id}`, ndjson([])), 409, 'import_mismatch');
    expectProblem(
      await upload(`resource=customers&mode=atomic&jobId=${job.body.id}`, ndjson([])),
      409,
      'import_mismatch',
    );
    expectProblem(
      await upload('resource=customers&jobId=0192f3c4-0000-7000-8000-000000000000', ndjson([])),
      404,
      'import_not_found',
    );
  });
});

describe('request errors and scopes', () => {
  test('bad resource 400, JSON body 415, unknown job 404', async () => {
    expectProblem(await upload('resource=products', ndjson([{}])), 400, 'validation_failed');
    expectProblem(await t.admin().post('/v1/imports?resource=customers').send({ items: [] }), 415);
    expectProblem(
      await t.admin().get('/v1/imports/0192f3c4-0000-7000-8000-000000000000'),
      404,
      'import_not_found',
    );
    expectProblem(await t.admin().get('/v1/imports/not-a-uuid'), 404, 'import_not_found');
  });

  test('imports need the write scope of their resource; reading a job needs its read or write scope', async () => {
    const ordersWriter = await t.keyWith('orders:write');
    const customersReader = await t.keyWith('customers:read');
    const body = ndjson([{ externalId: 'SC-1', name: 'Scoped' }]);
    const as = (key: string) =>
      t.as(key).post('/v1/imports?resource=customers').set('content-type', 'application/x-ndjson');
    expectProblem(await as(ordersWriter).send(body), 403, 'forbidden');
    expectProblem(await as(customersReader).send(body), 403, 'forbidden');
    expect((await t.admin().get('/v1/customers/external/SC-1')).status).toBe(404);

    const job = await upload('resource=customers', body);
    expectProblem(await t.as(ordersWriter).get(`/v1/imports/${job.body.id}`), 403, 'forbidden');
    expect((await t.as(customersReader).get(`/v1/imports/${job.body.id}`)).status).toBe(200);
    const visible = await t.as(ordersWriter).get('/v1/imports?limit=500');
    expect(new Set(visible.body.data.map((j: { resource: string }) => j.resource))).toEqual(
      new Set(['orders']),
    );
    expectProblem(
      await t.http().post('/v1/imports?resource=customers').set('content-type', 'text/csv').send('x'),
      401,
    );
  });
});

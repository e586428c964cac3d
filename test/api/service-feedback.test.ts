import { testClock } from '../helpers/clock';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(120_000);
const clock = testClock('2026-11-23T08:00:00.000Z');
let t: TestApp;
let reader: string;
const ids: Record<string, string> = {};

const ok = async (res: { status: number; text: string; body: { id: string } }, status = 201) => {
  if (res.status !== status) throw new Error(`${res.status} ${res.text}`);
  return res.body.id;
};

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  reader = await t.keyWith('service:read');
  const customer = (await createCustomer(t, { kind: 'person', name: 'Wang Fang' })).id;
  ids.a = await ok(
    await t.admin().post('/v1/products').send({ sku: 'A', name: 'Kettle', category: 'appliances' }),
  );
  ids.b = await ok(
    await t.admin().post('/v1/products').send({ sku: 'B', name: 'Cup', category: 'appliances' }),
  );
  const category = await ok(
    await t
      .admin()
      .post('/v1/complaint-categories')
      .send({ name: 'Broken', standardAnswer: 'Sorry {{customer.name}}' }),
  );
  const complaint = await ok(
    await t.admin().post('/v1/complaints').send({
      customerId: customer,
      categoryId: category,
      severity: 'high',
      subject: 'Cracked',
      productId: ids.a,
    }),
  );
  await ok(
    await t.admin().post('/v1/complaints').send({
      customerId: customer,
      categoryId: category,
      severity: 'low',
      subject: 'Old',
      filedAt: '2026-10-01T00:00:00Z',
    }),
  );
  const record = await ok(
    await t
      .admin()
      .post('/v1/service-records')
      .send({ customerId: customer, type: 'repair', subject: 'Fix', productSku: 'A' }),
  );
  const order = await ok(
    await t
      .admin()
      .post('/v1/orders')
      .send({
        customerId: customer,
        orderedAt: '2026-11-20T10:00:00Z',
        amount: '30.00',
        currency: 'USD',
        lines: [
          { sku: 'A', quantity: 1, unitPrice: '20.00' },
          { sku: 'B', quantity: 1, unitPrice: '10.00' },
        ],
      }),
  );
  const survey = (body: Record<string, unknown>) =>
    t
      .admin()
      .post('/v1/survey-responses')
      .send({ customerId: customer, respondedAt: '2026-11-22T10:00:00Z', ...body });
  await ok(await survey({ kind: 'csat', score: 4, complaintId: complaint }));
  await ok(await survey({ kind: 'nps', score: 10, serviceRecordId: record }));
  await ok(await survey({ kind: 'nps', score: 3, orderId: order }));
});
afterAll(async () => t.close());

test('per product: complaints by severity, service records by type, CSAT and NPS checked by hand', async () => {
  const res = await t.as(reader).get('/v1/analytics/service-feedback?from=2026-11-01&to=2026-11-30');
  expect(res.status).toBe(200);
  const [a, b, ...rest] = res.body.groups;
  expect(rest).toEqual([]);
  expect(a).toEqual(
    expect.objectContaining({
      key: ids.a,
      name: 'Kettle',
      sku: 'A',
      complaints: expect.objectContaining({
        count: 1,
        bySeverity: { low: 0, medium: 0, high: 1, critical: 0 },
        byCategory: [expect.objectContaining({ name: 'Broken', count: 1 })],
      }),
      serviceRecords: expect.objectContaining({ count: 1, byType: expect.objectContaining({ repair: 1 }) }),
      // CSAT 4 (the complaint's); NPS 10 (service record) and 3 (the order): 50% - 50% = 0.
      surveys: { responses: 3, csatResponses: 1, averageCsat: 4, npsResponses: 2, nps: 0 },
    }),
  );
  expect(b).toEqual(
    expect.objectContaining({
      key: ids.b,
      complaints: expect.objectContaining({ count: 0 }),
      surveys: { responses: 1, csatResponses: 0, averageCsat: null, npsResponses: 1, nps: -100 },
    }),
  );
});

test('per category: an order of two products of one category counts its answer once', async () => {
  const res = await t.as(reader).get('/v1/analytics/service-feedback?groupBy=category');
  const appliances = res.body.groups.find((g: { key: string | null }) => g.key === 'appliances');
  expect(appliances.surveys).toEqual({
    responses: 3,
    csatResponses: 1,
    averageCsat: 4,
    npsResponses: 2,
    nps: 0,
  });
  const none = res.body.groups.find((g: { key: string | null }) => g.key === null);
  expect(none.complaints.bySeverity.low).toBe(1);
});

test('bad ranges and dates are 400', async () => {
  expectProblem(
    await t.as(reader).get('/v1/analytics/service-feedback?from=2026-12-01&to=2026-11-01'),
    400,
    'invalid_range',
  );
  expectProblem(
    await t.as(reader).get('/v1/analytics/service-feedback?from=2026/12/01'),
    400,
    'validation_failed',
  );
  expectProblem(
    await t.as(reader).get('/v1/analytics/service-feedback?groupBy=month'),
    400,
    'validation_failed',
  );
});

import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(120_000);
let t: TestApp;
let writer: string;
let reader: string;
let ada: { id: string };
let bob: { id: string };
let adaOrder: string;
let bobOrder: string;

const count = async () =>
  Number((await t.db.knex('survey_responses').count<Array<{ c: string }>>('* as c'))[0]!.c);

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => new Date('2026-12-01T12:00:00Z') });
  writer = await t.keyWith('service:write', 'service:read');
  reader = await t.keyWith('service:read');
  ada = await createCustomer(t, { name: 'Ada', owner: 'wang' });
  bob = await createCustomer(t, { name: 'Bob', owner: 'li' });
  for (const [sku, name] of [
    ['P-A', 'Alpha'],
    ['P-B', 'Beta'],
  ])
    await t.admin().post('/v1/products').send({ sku, name });
  const o1 = await t
    .admin()
    .post('/v1/orders')
    .send({
      customerId: ada.id,
      orderedAt: '2026-10-01T10:00:00Z',
      amount: '30.00',
      currency: 'USD',
      lines: [
        { sku: 'P-A', quantity: 1, unitPrice: '10.00' },
        { sku: 'P-B', quantity: 1, unitPrice: '10.00' },
        { sku: 'P-A', quantity: 1, unitPrice: '10.00' },
      ],
    });
  expect(o1.status).toBe(201);
  adaOrder = o1.body.id;
  const o2 = await t
    .admin()
    .post('/v1/orders')
    .send({
      customerId: bob.id,
      orderedAt: '2026-10-02T10:00:00Z',
      amount: '10.00',
      currency: 'USD',
      lines: [{ sku: 'P-B', quantity: 1, unitPrice: '10.00' }],
    });
  bobOrder = o2.body.id;
  const call = await t
    .admin()
    .post('/v1/interactions')
    .send({ customerId: ada.id, channel: 'call', direction: 'inbound', subject: 'Delivery date' });
  expect(call.status).toBe(201);
  INTERACTION = call.body.id;
  const bobCall = await t
    .admin()
    .post('/v1/interactions')
    .send({ customerId: bob.id, channel: 'visit', direction: 'outbound', subject: 'Tasting' });
  BOB_INTERACTION = bobCall.body.id;
});
afterAll(async () => t.close());

let INTERACTION: string;
let BOB_INTERACTION: string;

test('create, read with ETag, patch with If-Match, delete; events recorded', async () => {
  const created = await t
    .as(writer)
    .post('/v1/survey-responses')
    .send({ customerId: ada.id, kind: 'csat', score: 4, comment: 'ok', orderId: adaOrder });
  expect(created.status).toBe(201);
  expect(created.body).toEqual(
    expect.objectContaining({
      customerId: ada.id,
      kind: 'csat',
      score: 4,
      comment: 'ok',
      orderId: adaOrder,
      serviceRecordId: null,
      respondedAt: '2026-12-01T12:00:00.000Z',
      version: 1,
    }),
  );
  const id = created.body.id as string;
  const read = await t.as(reader).get(`/v1/survey-responses/${id}`);
  expect(read.headers.etag).toBe('"v1"');
  expect((await t.as(reader).get(`/v1/survey-responses/${id}`).set('if-none-match', '"v1"')).status).toBe(
    304,
  );
  expectProblem(
    await t.as(writer).patch(`/v1/survey-responses/${id}`).set('if-match', '"v9"').send({ score: 5 }),
    412,
  );
  const patched = await t
    .as(writer)
    .patch(`/v1/survey-responses/${id}`)
    .set('if-match', '"v1"')
    .send({ score: 5, interactionId: INTERACTION });
  expect(patched.status).toBe(200);
  expect(patched.body).toEqual(
    expect.objectContaining({ score: 5, orderId: null, interactionId: INTERACTION, version: 2 }),
  );
  expectProblem(await t.as(reader).post('/v1/survey-responses').send({}), 403);
  expect((await t.as(writer).delete(`/v1/survey-responses/${id}`)).status).toBe(204);
  expectProblem(await t.as(reader).get(`/v1/survey-responses/${id}`), 404, 'survey_response_not_found');
  const events = await t.db.knex('events').where({ entity_id: id }).orderBy('id').select('type');
  expect(events.map((e) => e.type)).toEqual([
    'survey_response.created',
    'survey_response.updated',
    'survey_response.deleted',
  ]);
});

test('bad input is refused and writes nothing', async () => {
  const before = await count();
  const post = (body: Record<string, unknown>) => t.as(writer).post('/v1/survey-responses').send(body);
  const base = { customerId: ada.id, kind: 'nps', score: 9, orderId: adaOrder };
  // NPS 11 and CSAT 6 or 0: off the scale.
  expectProblem(await post({ ...base, score: 11 }), 400, 'validation_failed');
  const csat = expectProblem(await post({ ...base, kind: 'csat', score: 6 }), 400, 'validation_failed');
  expect(csat.errors?.[0]?.path).toBe('body/score');
  expectProblem(await post({ ...base, kind: 'csat', score: 0 }), 400, 'validation_failed');
  // No link, or two.
  expectProblem(await post({ ...base, orderId: undefined }), 400, 'validation_failed');
  expectProblem(await post({ ...base, interactionId: INTERACTION }), 400, 'validation_failed');
  // An unknown order, another customer's order, an unknown customer.
  const unknown = expectProblem(
    await post({ ...base, orderId: '0192f3c5-0000-7000-8000-000000000000' }),
    422,
    'order_not_found',
  );
  expect(unknown.errors?.[0]?.path).toBe('body/orderId');
  expectProblem(await post({ ...base, orderId: bobOrder }), 422, 'customer_mismatch');
  // The other links are checked the same way: they must exist and be the customer's.
  const noLink = { ...base, orderId: undefined };
  const missing = '0192f3c5-0000-7000-8000-0000000000ff';
  const complaint = expectProblem(
    await post({ ...noLink, complaintId: missing }),
    422,
    'complaint_not_found',
  );
  expect(complaint.errors?.[0]?.path).toBe('body/complaintId');
  expectProblem(await post({ ...noLink, serviceRecordId: missing }), 422, 'service_record_not_found');
  expectProblem(await post({ ...noLink, interactionId: missing }), 422, 'interaction_not_found');
  expectProblem(await post({ ...noLink, interactionId: BOB_INTERACTION }), 422, 'customer_mismatch');
  expectProblem(
    await post({ ...base, customerId: '0192f3c4-0000-7000-8000-000000000000' }),
    422,
    'customer_not_found',
  );
  expectProblem(await post({ ...base, rating: 3 }), 400, 'validation_failed');
  // An answer dated more than FUTURE_DATE_TOLERANCE_DAYS (1) ahead of the clock.
  const future = expectProblem(
    await post({ ...base, respondedAt: '2026-12-03T12:00:00Z' }),
    422,
    'date_in_future',
  );
  expect(future.errors?.[0]?.path).toBe('body/respondedAt');
  expect(await count()).toBe(before);
});

test('batch upsert by externalId: created, unchanged, updated; a bad row writes nothing', async () => {
  const item = (externalId: string, score: number) => ({
    externalId,
    customerId: bob.id,
    kind: 'nps',
    score,
    orderId: bobOrder,
    respondedAt: '2026-10-05T09:00:00Z',
  });
  const first = await t
    .as(writer)
    .post('/v1/survey-responses/batch')
    .send({ items: [item('S-1', 9), item('S-2', 3)] });
  expect(first.status).toBe(200);
  expect(first.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['created', 'created']);
  const again = await t
    .as(writer)
    .post('/v1/survey-responses/batch')
    .send({ items: [item('S-1', 9), item('S-2', 4)] });
  expect(again.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['unchanged', 'updated']);
  const before = await count();
  const bad = await t
    .as(writer)
    .post('/v1/survey-responses/batch')
    .send({ items: [item('S-3', 8), { ...item('S-4', 8), orderId: adaOrder }] });
  const body = expectProblem(bad, 422, 'customer_mismatch');
  expect(body.errors?.[0]).toEqual(expect.objectContaining({ index: 1, path: 'body/items/1/orderId' }));
  expectProblem(
    await t
      .as(writer)
      .post('/v1/survey-responses/batch')
      .send({ items: [item('S-5', 8), item('S-5', 9)] }),
    400,
    'duplicate_in_batch',
  );
  expect(await count()).toBe(before);
  // Clean up for the report below.
  await t.db.knex('survey_responses').whereIn('external_id', ['S-1', 'S-2']).delete();
});

test('the satisfaction report against hand counts, per month, product and owner', async () => {
  await t.db.knex('survey_responses').delete();
  const rows: Array<[string, string, number, string, string]> = [
    // customer, kind, score, order, respondedAt
    [ada.id, 'csat', 5, adaOrder, '2026-10-03T10:00:00Z'],
    [ada.id, 'csat', 4, adaOrder, '2026-10-04T10:00:00Z'],
    [ada.id, 'nps', 10, adaOrder, '2026-10-05T10:00:00Z'],
    [ada.id, 'nps', 6, adaOrder, '2026-11-05T10:00:00Z'],
    [bob.id, 'csat', 2, bobOrder, '2026-11-06T10:00:00Z'],
    [bob.id, 'nps', 9, bobOrder, '2026-11-07T10:00:00Z'],
    [bob.id, 'nps', 8, bobOrder, '2026-11-30T23:59:59Z'],
    [bob.id, 'nps', 0, bobOrder, '2026-12-01T00:00:00Z'],
  ];
  const res = await t
    .as(writer)
    .post('/v1/survey-responses/batch')
    .send({
      items: rows.map(([customerId, kind, score, orderId, respondedAt], i) => ({
        externalId: `R-${i}`,
        customerId,
        kind,
        score,
        orderId,
        respondedAt,
      })),
    });
  expect(res.status).toBe(200);

  // October and November only: the December answer is outside.
  const byMonth = await t.as(reader).get('/v1/analytics/satisfaction?from=2026-10-01&to=2026-11-30');
  expect(byMonth.status).toBe(200);
  // CSAT (5 + 4 + 2) / 3 = 3.6667; NPS 10, 6, 9, 8: 2 promoters, 1 passive, 1 detractor of 4 = 25.
  expect(byMonth.body.total).toEqual({
    responses: 7,
    csat: { responses: 3, average: 3.6667 },
    nps: { responses: 4, promoters: 2, passives: 1, detractors: 1, score: 25 },
  });
  expect(byMonth.body.groups).toEqual([
    {
      key: '2026-10',
      label: null,
      responses: 3,
      csat: { responses: 2, average: 4.5 },
      nps: { responses: 1, promoters: 1, passives: 0, detractors: 0, score: 100 },
    },
    {
      key: '2026-11',
      label: null,
      responses: 4,
      csat: { responses: 1, average: 2 },
      nps: { responses: 3, promoters: 1, passives: 1, detractors: 1, score: 0 },
    },
  ]);

  // By owner: wang has Ada's 4 answers, li Bob's 3 (+1 in December, outside).
  const byOwner = await t
    .as(reader)
    .get('/v1/analytics/satisfaction?from=2026-10-01&to=2026-11-30&groupBy=owner');
  const owners = Object.fromEntries(
    byOwner.body.groups.map((g: { key: string; csat: unknown; nps: { score: number } }) => [g.key, g]),
  );
  expect(owners.wang.csat).toEqual({ responses: 2, average: 4.5 });
  expect(owners.wang.nps.score).toBe(0); // 10 and 6: 50% - 50%
  expect(owners.li.csat).toEqual({ responses: 1, average: 2 });
  expect(owners.li.nps.score).toBe(50); // 9 and 8: 50% - 0%

  // By product: Ada's order has Alpha (twice) and Beta; each of its answers counts once for each.
  const byProduct = await t.as(reader).get('/v1/analytics/satisfaction?groupBy=product');
  const products = Object.fromEntries(
    byProduct.body.groups.map((g: { label: string; responses: number }) => [g.label, g]),
  );
  expect(products.Alpha.responses).toBe(4);
  expect(products.Beta.responses).toBe(8);
  expect(products.Beta.nps).toEqual({ responses: 5, promoters: 2, passives: 1, detractors: 2, score: 0 });

  // One customer's answers: Bob's CSAT 2, NPS 9, 8 and (in December) 0.
  const bobs = await t.as(reader).get(`/v1/analytics/satisfaction?customerId=${bob.id}&groupBy=month`);
  expect(bobs.body.total.csat).toEqual({ responses: 1, average: 2 });
  expect(bobs.body.total.nps).toEqual({ responses: 3, promoters: 1, passives: 1, detractors: 1, score: 0 });
  expect(bobs.body.groups.map((g: { key: string }) => g.key)).toEqual(['2026-11', '2026-12']);
  expectProblem(
    await t.as(reader).get('/v1/analytics/satisfaction?from=2026-12-01&to=2026-11-01'),
    400,
    'invalid_range',
  );
  expectProblem(
    await t.as(reader).get('/v1/analytics/satisfaction?from=2026-13-01'),
    400,
    'validation_failed',
  );
  expectProblem(await t.as(reader).get('/v1/analytics/satisfaction?groupBy=week'), 400, 'validation_failed');
});

test('the list pages newest first with filters', async () => {
  const first = await t.as(reader).get(`/v1/survey-responses?customerId=${bob.id}&limit=2`);
  expect(first.status).toBe(200);
  expect(first.body.data.map((r: { score: number }) => r.score)).toEqual([0, 8]);
  const second = await t
    .as(reader)
    .get(`/v1/survey-responses?customerId=${bob.id}&limit=2&cursor=${first.body.nextCursor}`);
  expect(second.body.data.map((r: { score: number }) => r.score)).toEqual([9, 2]);
  expect(second.body.nextCursor).toBeNull();
  const nps = await t.as(reader).get('/v1/survey-responses?kind=nps&from=2026-11-01&to=2026-11-30');
  expect(nps.body.data.map((r: { score: number }) => r.score)).toEqual([8, 9, 6]);
});

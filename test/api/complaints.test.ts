import { testClock } from '../helpers/clock';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(120_000);
const clock = testClock('2026-11-23T08:00:00.000Z');
let t: TestApp;
let writer: string;
let reader: string;
let customer: string;
let category: string;

const TEMPLATE =
  'Dear {{customer.name}}, about {{ complaint.number }} ({{category.name}}, {{product.name}}, filed {{complaint.filedAt}}): {{owner.name}} will call you.';

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  writer = await t.keyWith('service:read', 'service:write');
  reader = await t.keyWith('service:read');
  customer = (
    await createCustomer(t, { kind: 'person', name: 'Wang Fang', externalId: 'C-1', owner: 'li.wei' })
  ).id;
  await t.admin().post('/v1/products').send({ sku: 'TEA-1', name: 'Longjing 250 g' });
  const res = await t
    .as(writer)
    .post('/v1/complaint-categories')
    .send({ name: 'Late delivery', standardAnswer: TEMPLATE });
  expect(res.status).toBe(201);
  category = res.body.id;
});
afterAll(async () => t.close());

const file = (body: Record<string, unknown>) =>
  t
    .as(writer)
    .post('/v1/complaints')
    .send({ customerId: customer, categoryId: category, severity: 'high', subject: 'Late', ...body });

test('an unknown placeholder is refused when the template is saved, naming it', async () => {
  const res = expectProblem(
    await t
      .as(writer)
      .post('/v1/complaint-categories')
      .send({ name: 'Rude staff', standardAnswer: 'Dear {{customer.nmae}}, {{complaint.number}} {{foo}}' }),
    422,
    'unknown_placeholder',
  );
  expect(res.errors!.map((e) => e.message)).toEqual([
    'names {{customer.nmae}}, which is no placeholder',
    'names {{foo}}, which is no placeholder',
  ]);
  expectProblem(
    await t.as(writer).patch(`/v1/complaint-categories/${category}`).send({ standardAnswer: 'Hi {{owner}}' }),
    422,
    'unknown_placeholder',
  );
  expect((await t.as(reader).get(`/v1/complaint-categories/${category}`)).body.standardAnswer).toBe(TEMPLATE);
  expectProblem(
    await t.as(writer).post('/v1/complaint-categories').send({ name: 'Late delivery', standardAnswer: 'x' }),
    409,
    'complaint_category_exists',
  );
  const placeholders = await t.as(reader).get('/v1/complaint-categories/placeholders');
  expect(placeholders.body.data.map((p: { name: string }) => p.name)).toEqual(
    expect.arrayContaining([
      'customer.name',
      'complaint.number',
      'owner.name',
      'category.name',
      'product.name',
    ]),
  );
});

test('a filed complaint gets a number and its rendered standard answer; the owner defaults to the customer owner', async () => {
  const first = await file({ productSku: 'TEA-1' });
  expect(first.status).toBe(201);
  expect(first.body).toEqual(
    expect.objectContaining({
      number: 'C-2026-000001',
      status: 'open',
      owner: 'li.wei',
      severity: 'high',
      reopenCount: 0,
      standardAnswer:
        'Dear Wang Fang, about C-2026-000001 (Late delivery, Longjing 250 g, filed 2026-11-23): li.wei will call you.',
    }),
  );
  const second = await file({
    customerId: undefined,
    customerExternalId: 'C-1',
    owner: 'zhang.min',
    filedAt: '2027-01-02T10:00:00Z',
  });
  expect(second.status).toBe(422);
  clock.set('2027-01-02T12:00:00.000Z');
  const third = await file({
    customerId: undefined,
    customerExternalId: 'C-1',
    owner: 'zhang.min',
    filedAt: '2027-01-02T10:00:00Z',
  });
  expect(third.body.number).toBe('C-2027-000002');
  expect(third.body.standardAnswer).toBe(
    'Dear Wang Fang, about C-2027-000002 (Late delivery, , filed 2027-01-02): zhang.min will call you.',
  );
  // The feed keeps 30 days (EVENT_RETENTION_DAYS), and the clock moved on: the latest is there.
  const created = await t.admin().get('/v1/events?type=complaint.created');
  expect(created.body.data.map((e: { data: { number: string } }) => e.data.number)).toContain(
    'C-2027-000002',
  );
});

test('bad input is refused and changes nothing; a refused complaint burns no visible record', async () => {
  const before = (await t.as(reader).get('/v1/complaints?limit=500')).body.data.length;
  expectProblem(
    await file({ customerId: '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f' }),
    422,
    'customer_not_found',
  );
  expectProblem(
    await file({ categoryId: '0192f3f3-4d5e-7f6a-8b7c-8d9e0f1a2b3c' }),
    422,
    'complaint_category_not_found',
  );
  expectProblem(await file({ productSku: 'NOPE' }), 422, 'product_not_found');
  expectProblem(
    await file({ serviceRecordId: '0192f3f0-1a2b-7c3d-8e4f-5a6b7c8d9e0f' }),
    422,
    'service_record_not_found',
  );
  expectProblem(await file({ severity: 'catastrophic' }), 400, 'validation_failed');
  expectProblem(await file({ number: 'C-1' }), 400, 'validation_failed');
  expectProblem(await file({ customerId: undefined }), 400, 'validation_failed');
  expectProblem(await t.as(reader).post('/v1/complaints').send({}), 403);
  expect((await t.as(reader).get('/v1/complaints?limit=500')).body.data.length).toBe(before);
});

test('status moves, reopen counts, illegal moves are 409 with the allowed targets, If-Match', async () => {
  const filed = await file({});
  const path = `/v1/complaints/${filed.body.id}`;
  expectProblem(await t.as(writer).patch(path).set('if-match', '"v9"').send({ status: 'in_progress' }), 412);
  const progress = await t.as(writer).patch(path).set('if-match', '"v1"').send({ status: 'in_progress' });
  expect(progress.body).toEqual(expect.objectContaining({ status: 'in_progress', version: 2 }));
  const resolved = await t
    .as(writer)
    .patch(path)
    .send({ status: 'resolved', resolution: 'Refunded shipping' });
  expect(resolved.body).toEqual(
    expect.objectContaining({ status: 'resolved', resolution: 'Refunded shipping' }),
  );
  expect(resolved.body.resolvedAt).not.toBeNull();
  const closed = await t.as(writer).patch(path).send({ status: 'closed' });
  expect(closed.body.allowedTransitions).toEqual(['open', 'in_progress']);
  const illegal = expectProblem(
    await t.as(writer).patch(path).send({ status: 'resolved' }),
    409,
    'illegal_transition',
  );
  expect((illegal as unknown as { allowed: string[] }).allowed).toEqual(['open', 'in_progress']);
  const reopened = await t.as(writer).patch(path).send({ status: 'open' });
  expect(reopened.body).toEqual(
    expect.objectContaining({ status: 'open', reopenCount: 1, resolvedAt: null, closedAt: null }),
  );
  await t.as(writer).patch(path).send({ status: 'resolved' });
  expect((await t.as(writer).patch(path).send({ status: 'in_progress' })).body.reopenCount).toBe(2);
  const read = await t.as(reader).get(path);
  expect((await t.as(reader).get(path).set('if-none-match', read.headers.etag!)).status).toBe(304);
  const events = await t.admin().get(`/v1/events?type=complaint.updated&limit=100`);
  const mine = events.body.data.filter((e: { data: { id: string } }) => e.data.id === filed.body.id);
  expect(mine[0].changes).toEqual(
    expect.arrayContaining([{ field: 'status', from: 'open', to: 'in_progress' }]),
  );
});

test('lists filter and page; sort=-valueAtStake pages through all; the category in use cannot go', async () => {
  const open = await t.as(reader).get('/v1/complaints?status=open&limit=1');
  expect(open.body.data).toHaveLength(1);
  const all = (await t.as(reader).get('/v1/complaints?limit=500')).body.data.map((c: { id: string }) => c.id);
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { data: Array<{ id: string }>; nextCursor: string | null } } = await t
      .as(reader)
      .get(`/v1/complaints?sort=-valueAtStake&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...page.body.data.map((c) => c.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  expect(seen.sort()).toEqual([...all].sort());
  const inRange = await t.as(reader).get('/v1/complaints?from=2027-01-01&to=2027-01-31');
  expect(inRange.body.data.map((c: { number: string }) => c.number)).toContain('C-2027-000002');
  expectProblem(await t.as(reader).get('/v1/complaints?from=2027-1-1'), 400);
  expectProblem(
    await t.as(writer).delete(`/v1/complaint-categories/${category}`),
    409,
    'complaint_category_in_use',
  );
  const spare = await t
    .as(writer)
    .post('/v1/complaint-categories')
    .send({ name: 'Spare', standardAnswer: 'Thanks' });
  expect((await t.as(writer).delete(`/v1/complaint-categories/${spare.body.id}`)).status).toBe(204);
  const doomed = await file({});
  expect((await t.as(writer).delete(`/v1/complaints/${doomed.body.id}`)).status).toBe(204);
  expectProblem(await t.as(reader).get(`/v1/complaints/${doomed.body.id}`), 404, 'complaint_not_found');
  const next = await file({});
  expect(next.body.number).not.toBe(doomed.body.number);
});

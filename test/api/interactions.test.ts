import { testClock } from '../helpers/clock';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(120_000);
const clock = testClock('2026-11-23T12:00:00.000Z');
let t: TestApp;
let acme: { id: string };
let other: { id: string };
let contactId: string;
let otherContactId: string;
let orderId: string;
let serviceRecordId: string;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  acme = await createCustomer(t, { kind: 'organization', name: 'Acme Tea', externalId: 'ERP-ACME' });
  other = await createCustomer(t, { kind: 'organization', name: 'Other Co' });
  contactId = (await t.admin().post(`/v1/customers/${acme.id}/contacts`).send({ name: 'Grace' })).body.id;
  otherContactId = (await t.admin().post(`/v1/customers/${other.id}/contacts`).send({ name: 'Ada' })).body.id;
  const order = await t
    .admin()
    .post('/v1/orders')
    .send({ customerId: acme.id, orderedAt: '2026-11-20T10:00:00Z', amount: '10.00', currency: 'USD' });
  orderId = order.body.id;
  const record = await t
    .admin()
    .post('/v1/service-records')
    .send({ customerId: acme.id, type: 'repair', priority: 'normal', subject: 'Kettle' });
  expect(record.status).toBe(201);
  serviceRecordId = record.body.id;
});
afterAll(async () => t.close());

const call = (over: Record<string, unknown> = {}) => ({
  customerId: acme.id,
  channel: 'call',
  direction: 'inbound',
  employee: 'li.na',
  occurredAt: '2026-11-23T09:30:00.000Z',
  durationSeconds: 420,
  subject: 'Delivery date',
  ...over,
});

const count = async () => Number((await t.db.knex('interactions').count('* as n'))[0]!.n);

test('create, read with ETag, patch with If-Match, delete; each change is an event', async () => {
  const created = await t
    .admin()
    .post('/v1/interactions')
    .send(call({ contactId, orderId, serviceRecordId }));
  expect(created.status).toBe(201);
  expect(created.headers.location).toBe(`/v1/interactions/${created.body.id}`);
  expect(created.body).toEqual(
    expect.objectContaining({
      customerId: acme.id,
      contactId,
      orderId,
      channel: 'call',
      direction: 'inbound',
      durationSeconds: 420,
      serviceRecordId,
      complaintId: null,
      version: 1,
    }),
  );
  const id = created.body.id as string;
  const read = await t.admin().get(`/v1/interactions/${id}`);
  expect(read.headers.etag).toBe('"v1"');
  expect((await t.admin().get(`/v1/interactions/${id}`).set('if-none-match', '"v1"')).status).toBe(304);
  expectProblem(
    await t.admin().patch(`/v1/interactions/${id}`).set('if-match', '"v9"').send({ summary: 'x' }),
    412,
  );
  const patched = await t
    .admin()
    .patch(`/v1/interactions/${id}`)
    .set('if-match', '"v1"')
    .send({ summary: 'Called back', contactId: null });
  expect(patched.body).toEqual(
    expect.objectContaining({ summary: 'Called back', contactId: null, version: 2 }),
  );
  expect((await t.admin().delete(`/v1/interactions/${id}`)).status).toBe(204);
  expectProblem(await t.admin().get(`/v1/interactions/${id}`), 404, 'interaction_not_found');
  const events = await t.admin().get(`/v1/events?customerId=${acme.id}&limit=1000`);
  const mine = events.body.data.filter((e: { type: string }) => e.type.startsWith('interaction.'));
  expect(mine.map((e: { type: string }) => e.type)).toEqual([
    'interaction.created',
    'interaction.updated',
    'interaction.deleted',
  ]);
  expect(mine[1].changes).toEqual(
    expect.arrayContaining([{ field: 'summary', from: null, to: 'Called back' }]),
  );
});

test('bad links are 422 with their own codes and write nothing', async () => {
  const before = await count();
  expectProblem(
    await t
      .admin()
      .post('/v1/interactions')
      .send(call({ customerId: '0192f3c4-0000-7000-8000-000000000000' })),
    422,
    'customer_not_found',
  );
  const wrongContact = expectProblem(
    await t
      .admin()
      .post('/v1/interactions')
      .send(call({ contactId: otherContactId })),
    422,
    'contact_not_of_customer',
  );
  expect(wrongContact.errors?.[0]?.path).toBe('body/contactId');
  expectProblem(
    await t
      .admin()
      .post('/v1/interactions')
      .send(call({ orderId: '0192f3c4-0000-7000-8000-000000000001' })),
    422,
    'order_not_found',
  );
  expectProblem(
    await t
      .admin()
      .post('/v1/interactions')
      .send(call({ customerId: other.id, orderId })),
    422,
    'order_not_found',
  );
  // A service record or complaint that does not exist, or is another customer's.
  expectProblem(
    await t
      .admin()
      .post('/v1/interactions')
      .send(call({ complaintId: '0192f3c4-0000-7000-8000-000000000002' })),
    422,
    'complaint_not_found',
  );
  expectProblem(
    await t
      .admin()
      .post('/v1/interactions')
      .send(call({ customerId: other.id, serviceRecordId })),
    422,
    'service_record_not_found',
  );
  expectProblem(
    await t
      .admin()
      .post('/v1/interactions')
      .send(call({ occurredAt: '2027-01-01T00:00:00Z' })),
    422,
    'date_in_future',
  );
  expectProblem(
    await t
      .admin()
      .post('/v1/interactions')
      .send(call({ channel: 'fax' })),
    400,
    'validation_failed',
  );
  expectProblem(
    await t
      .admin()
      .post('/v1/interactions')
      .send(call({ customerExternalId: 'ERP-ACME' })),
    400,
    'validation_failed',
  );
  expect(await count()).toBe(before);
});

test('scopes: service:read reads, service:write writes', async () => {
  const reader = await t.keyWith('service:read');
  const writer = await t.keyWith('service:write');
  expectProblem(await t.as(reader).post('/v1/interactions').send(call()), 403, 'forbidden');
  expect((await t.as(writer).post('/v1/interactions').send(call())).status).toBe(201);
  expect((await t.as(reader).get('/v1/interactions')).status).toBe(200);
  expectProblem(await t.as(await t.keyWith('customers:read')).get('/v1/interactions'), 403, 'forbidden');
});

test('batch upserts by externalId: created, unchanged, updated; a bad row writes nothing', async () => {
  const items = [
    { ...call(), customerId: undefined, customerExternalId: 'ERP-ACME', externalId: 'CALL-1' },
    {
      ...call({ channel: 'email', direction: 'outbound', occurredAt: '2026-11-22T08:00:00Z' }),
      externalId: 'CALL-2',
    },
  ];
  const first = await t.admin().post('/v1/interactions/batch').send({ items });
  expect(first.status).toBe(200);
  expect(first.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['created', 'created']);
  expect(first.body.results[0].externalId).toBe('CALL-1');
  const again = await t.admin().post('/v1/interactions/batch').send({ items });
  expect(again.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['unchanged', 'unchanged']);
  const changed = await t
    .admin()
    .post('/v1/interactions/batch')
    .send({ items: [{ ...items[1], summary: 'Sent the price list' }] });
  expect(changed.body.results[0]).toEqual(
    expect.objectContaining({ outcome: 'updated', id: first.body.results[1].id }),
  );
  const stored = await t.admin().get(`/v1/interactions/${first.body.results[1].id}`);
  expect(stored.body).toEqual(
    expect.objectContaining({ summary: 'Sent the price list', subject: 'Delivery date' }),
  );
  // A create through POST with a taken externalId is 409.
  expectProblem(
    await t
      .admin()
      .post('/v1/interactions')
      .send({ ...call(), externalId: 'CALL-1' }),
    409,
    'external_id_taken',
  );

  const before = await count();
  const bad = expectProblem(
    await t
      .admin()
      .post('/v1/interactions/batch')
      .send({
        items: [
          { ...call(), externalId: 'CALL-3' },
          { ...call({ contactId: otherContactId }), externalId: 'CALL-4' },
          { ...call({ customerId: other.id }), externalId: 'CALL-1' },
        ],
      }),
    422,
    'invalid_rows',
  );
  expect(bad.errors?.map((e) => [e.path, e.index]).sort()).toEqual([
    ['body/items/1/contactId', 1],
    ['body/items/2/customerId', 2],
  ]);
  expect(await count()).toBe(before);
  const dup = expectProblem(
    await t
      .admin()
      .post('/v1/interactions/batch')
      .send({
        items: [
          { ...call(), externalId: 'D' },
          { ...call(), externalId: 'D' },
        ],
      }),
    400,
    'duplicate_in_batch',
  );
  expect(dup.errors?.[0]?.path).toBe('body/items/1/externalId');
});

test('list: newest first, filters, from/to as days, cursor paging', async () => {
  await t.db.knex('interactions').delete();
  const times = [
    '2026-11-01T10:00:00Z',
    '2026-11-02T10:00:00Z',
    '2026-11-02T10:00:00Z',
    '2026-11-03T23:59:59Z',
  ];
  const ids: string[] = [];
  for (const [i, occurredAt] of times.entries()) {
    const res = await t
      .admin()
      .post('/v1/interactions')
      .send(
        call({ occurredAt, channel: i % 2 ? 'visit' : 'call', employee: i < 2 ? 'wang' : 'li', contactId }),
      );
    ids.push(res.body.id);
  }
  await t
    .admin()
    .post('/v1/interactions')
    .send(call({ customerId: other.id, occurredAt: '2026-11-02T11:00:00Z' }));
  const all: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { data: Array<{ id: string }>; nextCursor: string | null } } = await t
      .admin()
      .get('/v1/interactions')
      .query({ customerId: acme.id, limit: 1, ...(cursor ? { cursor } : {}) });
    all.push(...page.body.data.map((d) => d.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  const sameTime = [ids[1]!, ids[2]!].sort().reverse();
  expect(all).toEqual([ids[3], ...sameTime, ids[0]]);
  const q = async (query: Record<string, string>) =>
    (await t.admin().get('/v1/interactions').query(query)).body.data.map((d: { id: string }) => d.id);
  expect(await q({ customerId: acme.id, channel: 'visit' })).toEqual([ids[3], ids[1]]);
  expect(await q({ employee: 'wang' })).toEqual([ids[1], ids[0]]);
  expect(await q({ contactId })).toHaveLength(4);
  expect(await q({ customerId: acme.id, from: '2026-11-02', to: '2026-11-03' })).toEqual([
    ids[3],
    ...sameTime,
  ]);
  expect(await q({ customerId: acme.id, to: '2026-11-01' })).toEqual([ids[0]]);
  expectProblem(await t.admin().get('/v1/interactions?from=2026-11-05&to=2026-11-01'), 400, 'invalid_range');
  expectProblem(await t.admin().get('/v1/interactions?from=2026-11-5'), 400, 'validation_failed');
  expectProblem(await t.admin().get('/v1/interactions?cursor=nonsense'), 400, 'invalid_cursor');
});

import { createHash } from 'node:crypto';
import type { Response } from 'supertest';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * A tiny scripted business whose campaign figures are computed by hand (docs/campaigns.md):
 * six customers in a static segment, campaign A (win_back, 30-day window, one held out of
 * six) and campaign B (offer, 10-day window, two of them) competing for one order.
 */
jest.setTimeout(120_000);
const NOW = new Date('2026-12-01T00:00:00.000Z');
let t: TestApp;
let writer: string;
let reader: string;

/** The body of an answer with the expected status (any, as supertest types it). */
const ok = async (res: Response, status = 200) => {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  return res.body;
};
const count = async (table: string) =>
  Number((await t.db.knex(table).count<Array<{ c: string }>>('* as c'))[0]!.c);

async function staticSegment(name: string, customerIds: string[]) {
  const segment = await ok(await t.admin().post('/v1/segments').send({ name, kind: 'static' }), 201);
  await ok(await t.admin().post(`/v1/segments/${segment.id}/members`).send({ customerIds }));
  return segment.id as string;
}
const order = async (customerId: string, orderedAt: string, amount: string, status?: string) =>
  ok(
    await t
      .admin()
      .post('/v1/orders')
      .send({ customerId, orderedAt, amount, currency: 'USD', ...(status ? { status } : {}) }),
    201,
  );
const touches = (campaignId: string, items: Array<Record<string, unknown>>) =>
  t.as(writer).post(`/v1/campaigns/${campaignId}/touches/batch`).send({ items });

let members: string[];
let segmentA: string;
let campaignA: { id: string };
let campaignB: { id: string };
/** The five recipients of A in id order, and the one held out. */
let R: string[];
let K: string;
let outsider: string;

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => NOW });
  writer = await t.keyWith('marketing:write', 'marketing:read');
  reader = await t.keyWith('marketing:read');
  members = [];
  for (let i = 1; i <= 6; i++) members.push((await createCustomer(t, { name: `Member ${i}` })).id);
  outsider = (await createCustomer(t, { name: 'Outsider' })).id;
  segmentA = await staticSegment('All six', members);
});
afterAll(async () => t.close());

test('a draft: CRUD with ETags, defaults, a segment that must exist', async () => {
  expectProblem(
    await t
      .as(writer)
      .post('/v1/campaigns')
      .send({ name: 'X', kind: 'offer', segmentId: '0193b7a0-1a2b-7c3d-8e4f-5a6b7c8d9e02' }),
    422,
    'segment_not_found',
  );
  expectProblem(
    await t.as(reader).post('/v1/campaigns').send({ name: 'X', kind: 'offer', segmentId: segmentA }),
    403,
  );
  expectProblem(
    await t.as(writer).post('/v1/campaigns').send({ name: 'X', kind: 'promo', segmentId: segmentA }),
    400,
  );
  expectProblem(
    await t
      .as(writer)
      .post('/v1/campaigns')
      .send({ name: 'X', kind: 'offer', segmentId: segmentA, controlGroupShare: 0.6 }),
    400,
  );
  expectProblem(
    await t.as(writer).post('/v1/campaigns').send({
      name: 'X',
      kind: 'offer',
      segmentId: segmentA,
      startsAt: '2026-10-05T00:00:00Z',
      endsAt: '2026-10-01T00:00:00Z',
    }),
    400,
  );
  const created = await ok(
    await t.as(writer).post('/v1/campaigns').send({ name: 'Draft', kind: 'care', segmentId: segmentA }),
    201,
  );
  expect(created).toEqual(
    expect.objectContaining({
      status: 'draft',
      cost: '0.00',
      attributionWindowDays: 30,
      controlGroupShare: 0,
      controlGroupSeed: created.id,
      launchedAt: null,
      recipientCount: null,
      version: 1,
    }),
  );
  const read = await t.as(reader).get(`/v1/campaigns/${created.id}`);
  expect(read.headers.etag).toBe('"v1"');
  expectProblem(
    await t.as(writer).patch(`/v1/campaigns/${created.id}`).set('if-match', '"v9"').send({ cost: '10' }),
    412,
  );
  const patched = await ok(
    await t.as(writer).patch(`/v1/campaigns/${created.id}`).set('if-match', '"v1"').send({ cost: '10.5' }),
  );
  expect(patched).toEqual(expect.objectContaining({ cost: '10.50', version: 2 }));
  expectProblem(await t.as(reader).get(`/v1/campaigns/${created.id}/results`), 409, 'campaign_not_launched');
  expectProblem(
    await t.as(reader).get(`/v1/campaigns/${created.id}/recipients`),
    409,
    'campaign_not_launched',
  );
  expectProblem(
    await touches(created.id, [
      { externalId: 'x', customerId: members[0], kind: 'delivered', at: '2026-10-01T00:00:00Z' },
    ]),
    409,
    'campaign_not_launched',
  );
  await ok(await t.as(writer).delete(`/v1/campaigns/${created.id}`), 204);
  expectProblem(await t.as(reader).get(`/v1/campaigns/${created.id}`), 404, 'campaign_not_found');
  const restored = await ok(await t.as(writer).post(`/v1/campaigns/${created.id}/restore`));
  expect(restored).toEqual(expect.objectContaining({ id: created.id, status: 'draft', cost: '10.50' }));
  await ok(await t.as(reader).get(`/v1/campaigns/${created.id}`));
  await ok(await t.as(writer).delete(`/v1/campaigns/${created.id}`), 204);
  expectProblem(await t.as(reader).get('/v1/campaigns/not-an-id'), 404, 'campaign_not_found');
});

test('launch freezes the recipients and exactly round(share x n) held out by the seed; twice is 409', async () => {
  campaignA = await ok(
    await t.as(writer).post('/v1/campaigns').send({
      name: 'Win them back',
      kind: 'win_back',
      segmentId: segmentA,
      channel: 'email',
      cost: '400',
      controlGroupShare: 0.2,
      controlGroupSeed: 'autumn',
    }),
    201,
  );
  expectProblem(
    await t
      .as(writer)
      .post(`/v1/campaigns/${campaignA.id}/launch`)
      .send({ launchedAt: '2026-12-05T00:00:00Z' }),
    422,
    'date_in_future',
  );
  const launched = await ok(
    await t
      .as(writer)
      .post(`/v1/campaigns/${campaignA.id}/launch`)
      .send({ launchedAt: '2026-10-01T00:00:00Z' }),
  );
  expect(launched).toEqual(
    expect.objectContaining({
      status: 'launched',
      launchedAt: '2026-10-01T00:00:00.000Z',
      recipientCount: 5,
      controlGroupCount: 1,
    }),
  );
  // round(0.2 x 6) = 1: the member whose SHA-256("autumn:" + id) is smallest.
  const rank = (id: string) => createHash('sha256').update(`autumn:${id}`).digest('hex');
  const expectedControl = [...members].sort((a, b) => (rank(a) < rank(b) ? -1 : 1))[0]!;
  const control = await ok(await t.as(reader).get(`/v1/campaigns/${campaignA.id}/recipients?group=control`));
  expect(control.data.map((r: { customerId: string }) => r.customerId)).toEqual([expectedControl]);
  K = expectedControl;
  R = members.filter((m) => m !== K).sort();
  const list = await ok(await t.as(reader).get(`/v1/campaigns/${campaignA.id}/recipients?limit=3`));
  expect(list.data.map((r: { customerId: string }) => r.customerId)).toEqual(R.slice(0, 3));
  expect(list.data[0]).toEqual(
    expect.objectContaining({ group: 'recipients', touches: 0, responded: false, name: expect.any(String) }),
  );
  const rest = await ok(
    await t.as(reader).get(`/v1/campaigns/${campaignA.id}/recipients?limit=3&cursor=${list.nextCursor}`),
  );
  expect(rest.data.map((r: { customerId: string }) => r.customerId)).toEqual(R.slice(3));
  expect(rest.nextCursor).toBeNull();

  const recipientsBefore = await count('campaign_recipients');
  const eventsBefore = await count('events');
  expectProblem(
    await t.as(writer).post(`/v1/campaigns/${campaignA.id}/launch`).send({}),
    409,
    'campaign_already_launched',
  );
  expect(await count('campaign_recipients')).toBe(recipientsBefore);
  expect(await count('events')).toBe(eventsBefore);
  const launchedEvents = await t.db
    .knex('events')
    .where({ type: 'campaign.launched', entity_id: campaignA.id });
  expect(launchedEvents).toHaveLength(1);

  // Frozen after launch: the segment, window and control group; the name may change.
  for (const change of [
    { attributionWindowDays: 10 },
    { controlGroupShare: 0.1 },
    { segmentId: segmentA, controlGroupSeed: 'x' },
  ])
    expectProblem(
      await t.as(writer).patch(`/v1/campaigns/${campaignA.id}`).send(change),
      409,
      'campaign_already_launched',
    );
  const renamed = await ok(
    await t.as(writer).patch(`/v1/campaigns/${campaignA.id}`).send({ name: 'Win-back, autumn' }),
  );
  expect(renamed.attributionWindowDays).toBe(30);
  campaignA = renamed;
});

test('touches: recipients only, not in the future, idempotent by externalId, all or nothing', async () => {
  const [r1, r2, r3, r4, r5] = R as [string, string, string, string, string];
  const before = await count('campaign_touches');
  const bad = expectProblem(
    await touches(campaignA.id, [
      { externalId: 'ok', customerId: r1, kind: 'delivered', at: '2026-10-01T10:00:00Z' },
      { externalId: 'ctl', customerId: K, kind: 'delivered', at: '2026-10-01T10:00:00Z' },
      { externalId: 'out', customerId: outsider, kind: 'delivered', at: '2026-10-01T10:00:00Z' },
    ]),
    422,
    'not_a_recipient',
  );
  expect(bad.errors!.map((e) => e.index)).toEqual([1, 2]);
  expectProblem(
    await touches(campaignA.id, [
      { externalId: 'late', customerId: r1, kind: 'opened', at: '2026-12-02T00:00:00Z' },
    ]),
    422,
    'date_in_future',
  );
  expectProblem(
    await touches(campaignA.id, [
      { externalId: 'dup', customerId: r1, kind: 'opened', at: '2026-10-01T00:00:00Z' },
      { externalId: 'dup', customerId: r2, kind: 'opened', at: '2026-10-01T00:00:00Z' },
    ]),
    400,
    'duplicate_in_batch',
  );
  expect(await count('campaign_touches')).toBe(before);

  const wave1 = [
    { externalId: 'a-r1-d', customerId: r1, kind: 'delivered', at: '2026-10-01T10:00:00Z' },
    { externalId: 'a-r2-d', customerId: r2, kind: 'delivered', at: '2026-10-01T10:00:00Z' },
    { externalId: 'a-r3-d', customerId: r3, kind: 'delivered', at: '2026-10-01T10:00:00Z' },
    { externalId: 'a-r4-d', customerId: r4, kind: 'delivered', at: '2026-10-01T10:00:00Z' },
    { externalId: 'a-r2-r', customerId: r2, kind: 'responded', at: '2026-10-02T09:00:00Z' },
    { externalId: 'a-r3-r', customerId: r3, kind: 'responded', at: '2026-10-03T09:00:00Z', wave: 1 },
    // Before the launch: stored, never counted.
    { externalId: 'a-r5-early', customerId: r5, kind: 'delivered', at: '2026-09-30T12:00:00Z' },
  ];
  const first = await ok(await touches(campaignA.id, wave1));
  expect(first.results.map((r: { outcome: string }) => r.outcome)).toEqual(Array(7).fill('created'));
  const again = await ok(await touches(campaignA.id, wave1));
  expect(again.results.map((r: { outcome: string }) => r.outcome)).toEqual(Array(7).fill('unchanged'));
  expect(again.results[0].id).toBe(first.results[0].id);

  // The next wave goes to those who did not respond: r1, r4 and r5.
  const pending = await ok(
    await t.as(reader).get(`/v1/campaigns/${campaignA.id}/recipients?responded=false`),
  );
  expect(pending.data.map((r: { customerId: string }) => r.customerId)).toEqual([r1, r4, r5].sort());
  const csv = await t
    .as(reader)
    .get(`/v1/campaigns/${campaignA.id}/recipients?responded=false`)
    .set('accept', 'text/csv');
  expect(csv.status).toBe(200);
  expect(csv.headers['content-type']).toMatch(/^text\/csv/);
  const lines = csv.text.trim().split('\r\n');
  expect(lines[0]).toBe('customerId,customerExternalId,name,email,phone,group,touches,lastTouchAt,responded');
  expect(lines).toHaveLength(4);
  await ok(
    await touches(campaignA.id, [
      { externalId: 'a-r4-d2', customerId: r4, kind: 'delivered', at: '2026-10-15T10:00:00Z', wave: 2 },
      { externalId: 'a-r4-r2', customerId: r4, kind: 'responded', at: '2026-10-16T10:00:00Z', wave: 2 },
    ]),
  );
});

test('attribution, ROI and uplift against the control group, computed by hand', async () => {
  const [r1, r2, r3, r4, r5] = R as [string, string, string, string, string];
  // Campaign B: an offer to r1 and r2, launched later with a 10-day window, no control group.
  const segmentB = await staticSegment('Two of them', [r1, r2]);
  campaignB = await ok(
    await t.as(writer).post('/v1/campaigns').send({
      name: 'Offer',
      kind: 'offer',
      segmentId: segmentB,
      cost: '100.00',
      attributionWindowDays: 10,
    }),
    201,
  );
  await ok(
    await t
      .as(writer)
      .post(`/v1/campaigns/${campaignB.id}/launch`)
      .send({ launchedAt: '2026-10-05T00:00:00Z' }),
  );
  await ok(
    await touches(campaignB.id, [
      { externalId: 'b-r1-d', customerId: r1, kind: 'delivered', at: '2026-10-06T10:00:00Z' },
    ]),
  );

  // r3 and r5 were churned before A's launch (a manual churn, dated).
  for (const id of [r3, r5])
    await ok(
      await t.admin().post(`/v1/customers/${id}/churn`).send({ reason: 'price', at: '2026-09-25T00:00:00Z' }),
      201,
    );

  await order(r1, '2026-09-20T12:00:00Z', '1000.00'); // before every launch: nobody's
  await order(r1, '2026-10-08T12:00:00Z', '300.00'); // A (10-01) and B (10-06) reach it: B's is later, B takes it
  await order(r2, '2026-10-03T12:00:00Z', '200.00'); // A, wave 1 (r2's response of 10-02)
  await order(r2, '2026-10-20T12:00:00Z', '100.00', 'cancelled'); // never counts
  await order(r3, '2026-11-05T12:00:00Z', '150.00'); // A's last touch of r3 (10-03) reaches to 11-02: nobody's
  await order(r4, '2026-10-20T12:00:00Z', '500.00'); // A, wave 2 (r4's response of 10-16)
  await order(r4, '2026-10-21T12:00:00Z', '80.00', 'returned'); // never counts
  await order(r5, '2026-10-10T12:00:00Z', '50.00'); // r5's only touch predates the launch: nobody's
  await order(K, '2026-10-12T12:00:00Z', '120.00'); // the control group's

  const a = await ok(await t.as(reader).get(`/v1/campaigns/${campaignA.id}/results`));
  expect(a).toEqual({
    campaignId: campaignA.id,
    kind: 'win_back',
    launchedAt: '2026-10-01T00:00:00.000Z',
    attributionWindowDays: 30,
    recipients: 5,
    controlGroup: 1,
    reached: 4, // r1-r4 (r5's touch predates the launch)
    responded: 3, // r2, r3, r4
    converted: 2, // r2 (200), r4 (500); r1's order went to B
    revenue: '700.00',
    cost: '400.00',
    roi: 0.75, // (700 - 400) / 400
    wonBack: 1, // r5 churned at launch and bought on 10-10; r3's order falls after the window
    waves: [
      { wave: 1, reached: 4, responded: 2, converted: 1, revenue: '200.00' },
      { wave: 2, reached: 1, responded: 1, converted: 1, revenue: '500.00' },
    ],
    uplift: {
      // Orders from 10-01 to 10-31 whatever the touches: r1 300, r2 200, r4 500, r5 50.
      recipients: {
        customers: 5,
        buyers: 4,
        conversionRate: 0.8,
        revenue: '1050.00',
        revenuePerCustomer: '210.00',
      },
      control: {
        customers: 1,
        buyers: 1,
        conversionRate: 1,
        revenue: '120.00',
        revenuePerCustomer: '120.00',
      },
      conversionRate: { difference: -0.2, ratio: -0.2 }, // 0.8 - 1, / 1
      revenuePerCustomer: { difference: '90.00', ratio: 0.75 }, // 210 - 120, / 120
    },
  });

  const b = await ok(await t.as(reader).get(`/v1/campaigns/${campaignB.id}/results`));
  expect(b).toEqual(
    expect.objectContaining({
      recipients: 2,
      controlGroup: 0,
      reached: 1,
      responded: 0,
      converted: 1, // r1's 300
      revenue: '300.00',
      cost: '100.00',
      roi: 2, // (300 - 100) / 100
      wonBack: null,
      waves: [{ wave: 1, reached: 1, responded: 0, converted: 1, revenue: '300.00' }],
      uplift: {
        // Orders from 10-05 to 10-15: r1's 300.
        recipients: {
          customers: 2,
          buyers: 1,
          conversionRate: 0.5,
          revenue: '300.00',
          revenuePerCustomer: '150.00',
        },
        control: { customers: 0, buyers: 0, conversionRate: null, revenue: '0.00', revenuePerCustomer: null },
        conversionRate: { difference: null, ratio: null },
        revenuePerCustomer: { difference: null, ratio: null },
      },
    }),
  );
});

test('a campaign that cost nothing has no ROI', async () => {
  const c = await ok(
    await t.as(writer).post('/v1/campaigns').send({ name: 'Free', kind: 'survey', segmentId: segmentA }),
    201,
  );
  await ok(await t.as(writer).post(`/v1/campaigns/${c.id}/launch`));
  const results = await ok(await t.as(reader).get(`/v1/campaigns/${c.id}/results`));
  expect(results).toEqual(
    expect.objectContaining({ recipients: 6, controlGroup: 0, roi: null, revenue: '0.00', wonBack: null }),
  );
  const listed = await ok(await t.as(reader).get('/v1/campaigns?status=launched'));
  expect(listed.data.map((x: { id: string }) => x.id)).toContain(c.id);
});

import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { PaymentRepository } from '../../src/modules/payments/repository';
import { testClock } from '../helpers/clock';
import { createTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(120_000);
const clock = testClock('2026-11-23T08:00:00.000Z');
let t: TestApp;
let writer: string;
let reader: string;
let a: { id: string };
let b: { id: string };
let c: { id: string };
let indirect: { id: string };
let consumer: { id: string };
let whole: { id: string; version: number };
let marginal: { id: string };

const TIERS = [
  { from: '100000.00', rate: '0.02' },
  { from: '250000.00', rate: '0.03' },
  { from: '500000.00', rate: '0.05' },
];

const order = async (
  customerId: string,
  orderedAt: string,
  amount: string,
  extra: Record<string, unknown> = {},
) => {
  const res = await t
    .admin()
    .post('/v1/orders')
    .send({ customerId, orderedAt, amount, currency: 'USD', status: 'shipped', ...extra });
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  return res.body as { id: string };
};

const programmes = async () =>
  Number((await t.db.knex('rebate_programs').count<Array<{ c: string }>>('* as c'))[0]!.c);

const program = (body: Record<string, unknown>) =>
  t
    .as(writer)
    .post('/v1/rebate-programs')
    .send({
      name: 'Distributors',
      periodKind: 'quarter',
      mode: 'whole',
      tiers: TIERS,
      channelCustomerIds: [a.id, b.id, c.id],
      ...body,
    });

const outstanding = async (id: string) => {
  const res = await t.admin().get(`/v1/customers/${id}/receivables`);
  expect(res.status).toBe(200);
  return res.body.outstanding as string;
};

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  writer = await t.keyWith('marketing:write', 'marketing:read');
  reader = await t.keyWith('marketing:read');
  a = await createCustomer(t, { name: 'East Distribution', category: 'channel', region: 'east' });
  b = await createCustomer(t, { name: 'Roaming Agent', category: 'channel' });
  c = await createCustomer(t, { name: 'Big Reseller', category: 'channel', region: 'south' });
  indirect = await createCustomer(t, { name: 'Shop through East', viaChannelId: a.id });
  consumer = await createCustomer(t, { name: 'Plain consumer' });
  const regions = await t
    .admin()
    .put(`/v1/customers/${a.id}/assigned-regions`)
    .send({ regions: ['east'] });
  expect(regions.status).toBe(200);

  // Channel A in 2026-Q3: 60,000 + 30,000 own in its region, 10,000 by its indirect customer,
  // 5,000 shipped north (cross-region), 20,000 cancelled, 7,000 returned; one order before
  // and one after the quarter.
  await order(a.id, '2026-07-03T10:00:00Z', '60000.00', { region: 'east' });
  await order(a.id, '2026-08-15T10:00:00Z', '30000.00', { region: 'east', status: 'placed' });
  await order(indirect.id, '2026-09-01T10:00:00Z', '10000.00', { region: 'east' });
  await order(a.id, '2026-09-02T10:00:00Z', '5000.00', { region: 'north' });
  const cancelled = await order(a.id, '2026-09-03T10:00:00Z', '20000.00', { region: 'east' });
  expect((await t.admin().post(`/v1/orders/${cancelled.id}/cancel`).send({})).status).toBe(200);
  const returned = await order(a.id, '2026-09-04T10:00:00Z', '7000.00', { region: 'east' });
  expect((await t.admin().patch(`/v1/orders/${returned.id}`).send({ status: 'returned' })).status).toBe(200);
  await order(a.id, '2026-06-30T23:59:59Z', '1000.00', { region: 'east' });
  await order(a.id, '2026-10-01T00:00:00Z', '1000.00', { region: 'east' });

  // B, no regions at all: 249,999.99 in the quarter (nothing is cross-region for it).
  await order(b.id, '2026-07-01T00:00:00Z', '200000.00', { region: 'west' });
  await order(b.id, '2026-09-30T23:59:59Z', '49999.99', { region: 'north' });
  // C: exactly 250,000.00, in its own region.
  await order(c.id, '2026-07-10T00:00:00Z', '250000.00', { region: 'south' });
});

afterAll(async () => {
  await t?.close();
});

describe('rebate programmes', () => {
  test('create, read with ETag, list; marketing scopes', async () => {
    const res = await program({ creditIndirect: true, excludeCrossRegion: true });
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"v1"');
    expect(res.headers.location).toBe(`/v1/rebate-programs/${res.body.id}`);
    expect(res.body).toMatchObject({
      name: 'Distributors',
      periodKind: 'quarter',
      mode: 'whole',
      tiers: TIERS,
      channelCustomerIds: [a.id, b.id, c.id],
      creditIndirect: true,
      excludeCrossRegion: true,
      currency: 'USD',
      deleted: false,
      version: 1,
    });
    whole = res.body;
    const m = await program({
      mode: 'marginal',
      tiers: [{ from: '100000', rate: '0.0200' }, ...TIERS.slice(1)],
    });
    expect(m.status).toBe(201);
    expect(m.body.tiers[0]).toEqual({ from: '100000.00', rate: '0.02' });
    expect(m.body).toMatchObject({ creditIndirect: false, excludeCrossRegion: false });
    marginal = m.body;

    const read = await t.as(reader).get(`/v1/rebate-programs/${whole.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(whole);
    expect(
      (await t.as(reader).get(`/v1/rebate-programs/${whole.id}`).set('if-none-match', '"v1"')).status,
    ).toBe(304);
    const list = await t.as(reader).get('/v1/rebate-programs?limit=1');
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([whole.id]);
    const next = await t.as(reader).get(`/v1/rebate-programs?limit=1&cursor=${list.body.nextCursor}`);
    expect(next.body.data.map((p: { id: string }) => p.id)).toEqual([marginal.id]);

    expectProblem(await t.as(reader).post('/v1/rebate-programs').send({}), 403);
    const ordersKey = await t.keyWith('orders:read');
    expectProblem(await t.as(ordersKey).get(`/v1/rebate-programs/${whole.id}`), 403);
    expectProblem(await t.as(reader).get('/v1/rebate-programs/nope'), 404, 'rebate_program_not_found');
  });

  test('bad tiers, channels and currency are refused and nothing is written', async () => {
    const before = await programmes();
    const same = await program({
      tiers: [
        { from: '100000.00', rate: '0.02' },
        { from: '100000.00', rate: '0.03' },
      ],
    });
    const body = expectProblem(same, 422, 'tiers_not_increasing');
    expect(body.errors?.[0]).toMatchObject({ path: 'body/tiers/1/from', code: 'tiers_not_increasing' });
    expectProblem(
      await program({
        tiers: [
          { from: '250000.00', rate: '0.03' },
          { from: '100000.00', rate: '0.04' },
        ],
      }),
      422,
      'tiers_not_increasing',
    );
    expectProblem(
      await program({
        tiers: [
          { from: '100000.00', rate: '0.03' },
          { from: '250000.00', rate: '0.02' },
        ],
      }),
      422,
      'tier_rates_decreasing',
    );
    const notChannel = expectProblem(
      await program({ channelCustomerIds: [a.id, consumer.id, '0192f3c4-0000-7000-8000-000000000000'] }),
      422,
      'channel_not_found',
    );
    expect(notChannel.errors?.map((e: { path: string }) => e.path)).toEqual([
      'body/channelCustomerIds/1',
      'body/channelCustomerIds/2',
    ]);
    expectProblem(await program({ currency: 'EUR' }), 422, 'currency_mismatch');
    expectProblem(await program({ tiers: [] }), 400, 'validation_failed');
    expectProblem(await program({ tiers: [{ from: '1', rate: '1.5' }] }), 400, 'validation_failed');
    expectProblem(await program({ tiers: [{ from: '-1', rate: '0.1' }] }), 400, 'validation_failed');
    expectProblem(await program({ periodKind: 'month' }), 400, 'validation_failed');
    expect(await programmes()).toBe(before);
  });
});

describe('accruals', () => {
  test('whole mode: direct, indirect, cancelled, returned and cross-region orders, to the cent', async () => {
    const res = await t.as(reader).get(`/v1/rebate-programs/${whole.id}/accruals?period=2026-Q3`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      programId: whole.id,
      period: '2026-Q3',
      periodStart: '2026-07-01',
      periodEnd: '2026-09-30',
      closed: true,
      settled: false,
      settlementId: null,
      currency: 'USD',
      mode: 'whole',
      totalRebate: '14500.00',
    });
    expect(res.body.data).toEqual([
      {
        channelCustomerId: a.id,
        ownPurchases: '90000.00',
        indirectPurchases: '10000.00',
        crossRegionExcluded: '5000.00',
        netPurchases: '100000.00',
        tier: { index: 0, from: '100000.00', rate: '0.02' },
        rate: '0.02',
        rebate: '2000.00',
        nextTier: { index: 1, from: '250000.00', rate: '0.03' },
        gapToNextTier: '150000.00',
      },
      {
        channelCustomerId: b.id,
        ownPurchases: '249999.99',
        indirectPurchases: '0.00',
        crossRegionExcluded: '0.00',
        netPurchases: '249999.99',
        tier: { index: 0, from: '100000.00', rate: '0.02' },
        rate: '0.02',
        rebate: '5000.00', // 4999.9998
        nextTier: { index: 1, from: '250000.00', rate: '0.03' },
        gapToNextTier: '0.01',
      },
      {
        channelCustomerId: c.id,
        ownPurchases: '250000.00',
        indirectPurchases: '0.00',
        crossRegionExcluded: '0.00',
        netPurchases: '250000.00',
        tier: { index: 1, from: '250000.00', rate: '0.03' },
        rate: '0.03',
        rebate: '7500.00',
        nextTier: { index: 2, from: '500000.00', rate: '0.05' },
        gapToNextTier: '250000.00',
      },
    ]);
  });

  test('marginal mode, own orders only, cross-region kept', async () => {
    const res = await t.as(reader).get(`/v1/rebate-programs/${marginal.id}/accruals?period=2026-Q3`);
    expect(res.status).toBe(200);
    const rows = res.body.data.map((r: Record<string, unknown>) => [
      r.netPurchases,
      (r.tier as { index: number } | null)?.index ?? null,
      r.rebate,
      r.gapToNextTier,
    ]);
    expect(rows).toEqual([
      ['95000.00', null, '0.00', '5000.00'],
      ['249999.99', 0, '3000.00', '0.01'], // 149,999.99 x 0.02 = 2999.9998
      ['250000.00', 1, '3000.00', '250000.00'],
    ]);
    expect(res.body.totalRebate).toBe('6000.00');
  });

  test('an open period accrues; a year on a quarter programme is 422', async () => {
    const q4 = await t.as(reader).get(`/v1/rebate-programs/${whole.id}/accruals?period=2026-Q4`);
    expect(q4.body).toMatchObject({ closed: false, settled: false });
    expect(q4.body.data[0]).toMatchObject({ netPurchases: '1000.00', tier: null, rate: '0', rebate: '0.00' });
    expectProblem(
      await t.as(reader).get(`/v1/rebate-programs/${whole.id}/accruals?period=2026`),
      422,
      'period_kind_mismatch',
    );
    expectProblem(await t.as(reader).get(`/v1/rebate-programs/${whole.id}/accruals?period=2026-Q5`), 400);
    expectProblem(await t.as(reader).get(`/v1/rebate-programs/${whole.id}/accruals`), 400);
  });
});

describe('settlements', () => {
  test('an open period is refused and changes nothing', async () => {
    const before = await outstanding(a.id);
    expectProblem(
      await t.as(writer).post(`/v1/rebate-programs/${whole.id}/settlements`).send({ period: '2026-Q4' }),
      422,
      'period_not_closed',
    );
    // On the quarter's last day it is still open; from the next day on it is closed.
    clock.set('2026-09-30T23:59:59.000Z');
    expectProblem(
      await t.as(writer).post(`/v1/rebate-programs/${whole.id}/settlements`).send({ period: '2026-Q3' }),
      422,
      'period_not_closed',
    );
    clock.set('2026-11-23T08:00:00.000Z');
    expectProblem(
      await t.as(writer).post(`/v1/rebate-programs/${whole.id}/settlements`).send({ period: '2026' }),
      422,
      'period_kind_mismatch',
    );
    expect(await outstanding(a.id)).toBe(before);
    expect((await t.as(reader).get(`/v1/rebate-programs/${whole.id}/settlements`)).body.data).toEqual([]);
  });

  test("a closed period's rebates become credits that lower the receivables; twice changes nothing", async () => {
    // A's open orders: 60,000 + 30,000 + 5,000 in Q3 and 1,000 each side of it.
    expect(await outstanding(a.id)).toBe('97000.00');
    expect(await outstanding(c.id)).toBe('250000.00');
    const first = await t
      .as(writer)
      .post(`/v1/rebate-programs/${whole.id}/settlements`)
      .send({ period: '2026-Q3' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      programId: whole.id,
      period: '2026-Q3',
      periodStart: '2026-07-01',
      periodEnd: '2026-09-30',
      currency: 'USD',
      mode: 'whole',
      tiers: TIERS,
      totalRebate: '14500.00',
      settledAt: '2026-11-23T08:00:00.000Z',
    });
    expect(
      first.body.lines.map((l: Record<string, unknown>) => [l.channelCustomerId, l.netPurchases, l.rebate]),
    ).toEqual([
      [a.id, '100000.00', '2000.00'],
      [b.id, '249999.99', '5000.00'],
      [c.id, '250000.00', '7500.00'],
    ]);
    expect(await outstanding(a.id)).toBe('95000.00');
    expect(await outstanding(b.id)).toBe('244999.99');
    expect(await outstanding(c.id)).toBe('242500.00');
    // The many-customer read (value cards, credit pages) carries the credit too.
    const [rows] = await new PaymentRepository(t.db.knex).receivablesOf([a.id]);
    expect(rows!.payments.map((p) => [p.net, p.received_at.toISOString()])).toEqual([
      ['2000.0000', '2026-11-23T08:00:00.000Z'],
    ]);

    const again = await t
      .as(writer)
      .post(`/v1/rebate-programs/${whole.id}/settlements`)
      .send({ period: '2026-Q3' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await outstanding(a.id)).toBe('95000.00');
    const credits = Number((await t.db.knex('rebate_credits').count<Array<{ c: string }>>('* as c'))[0]!.c);
    expect(credits).toBe(3);

    const accruals = await t.as(reader).get(`/v1/rebate-programs/${whole.id}/accruals?period=2026-Q3`);
    expect(accruals.body).toMatchObject({ closed: true, settled: true, settlementId: first.body.id });
    const list = await t.as(reader).get(`/v1/rebate-programs/${whole.id}/settlements`);
    expect(list.body).toEqual({ data: [first.body], nextCursor: null });

    const events = await t.admin().get('/v1/events?type=rebate_program.settled');
    expect(events.body.data).toHaveLength(1);
    expect(events.body.data[0].data).toEqual(first.body);
  });

  test('a rebate of zero makes no credit', async () => {
    const res = await t
      .as(writer)
      .post(`/v1/rebate-programs/${marginal.id}/settlements`)
      .send({ period: '2026-Q3' });
    expect(res.status).toBe(201);
    expect(res.body.lines[0]).toMatchObject({ channelCustomerId: a.id, rebate: '0.00', creditId: null });
    expect(res.body.totalRebate).toBe('6000.00');
    expect(await outstanding(a.id)).toBe('95000.00');
    expect(await outstanding(c.id)).toBe('239500.00');
  });
});

describe('update, delete, restore', () => {
  test('If-Match, changes event, soft delete and restore', async () => {
    const stale = await t
      .as(writer)
      .patch(`/v1/rebate-programs/${whole.id}`)
      .set('if-match', '"v9"')
      .send({ name: 'x' });
    expectProblem(stale, 412, 'precondition_failed');
    const changed = await t
      .as(writer)
      .patch(`/v1/rebate-programs/${whole.id}`)
      .set('if-match', '"v1"')
      .send({ name: 'Distributors 2026', channelCustomerIds: [c.id, a.id] });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).toBe('"v2"');
    expect(changed.body).toMatchObject({
      name: 'Distributors 2026',
      channelCustomerIds: [c.id, a.id],
      version: 2,
    });
    expectProblem(
      await t
        .as(writer)
        .patch(`/v1/rebate-programs/${whole.id}`)
        .send({
          tiers: [
            { from: '5', rate: '0.1' },
            { from: '4', rate: '0.2' },
          ],
        }),
      422,
      'tiers_not_increasing',
    );
    const events = await t.admin().get(`/v1/events?type=rebate_program.updated`);
    expect(events.body.data.at(-1).changes.map((ch: { field: string }) => ch.field)).toEqual([
      'name',
      'channelCustomerIds',
    ]);

    expect((await t.as(writer).delete(`/v1/rebate-programs/${whole.id}`)).status).toBe(204);
    expectProblem(await t.as(reader).get(`/v1/rebate-programs/${whole.id}`), 404, 'rebate_program_not_found');
    expectProblem(
      await t.as(reader).get(`/v1/rebate-programs/${whole.id}/accruals?period=2026-Q3`),
      404,
      'rebate_program_not_found',
    );
    const all = await t.as(reader).get('/v1/rebate-programs?includeDeleted=true');
    expect(all.body.data.find((p: { id: string }) => p.id === whole.id).deleted).toBe(true);
    const restored = await t.as(writer).post(`/v1/rebate-programs/${whole.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.deleted).toBe(false);
    expect((await t.as(reader).get(`/v1/rebate-programs/${whole.id}`)).status).toBe(200);
  });
});

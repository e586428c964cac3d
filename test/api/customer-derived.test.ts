import { parse } from 'csv-parse/sync';
import { LifecycleRepository, type LifecycleChange } from '../../src/modules/lifecycle/repository';
import { buy, runAnalytics } from '../helpers/analytics-run';
import { testClock } from '../helpers/clock';
import { createCustomer } from '../helpers/customers';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The customer's derived fields (docs/lifecycle.md): churn status and stage from
 * customer_lifecycle, stars from the override else the current run, on every read; a stage set
 * by hand recorded as a lifecycle event with its outbox event.
 */
jest.setTimeout(180_000);
const clock = testClock('2026-11-23T08:00:00.000Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { clock });
}, 120_000);
afterAll(async () => t.close());

const record = (changes: LifecycleChange[]) =>
  t.db.knex.transaction((trx) => new LifecycleRepository(t.db.knex).record(changes, trx));

const read = async (id: string) => {
  const res = await t.admin().get(`/v1/customers/${id}`);
  if (res.status !== 200) throw new Error(`GET ${id}: ${res.status} ${res.text}`);
  return res.body as Record<string, unknown> & { id: string };
};

const history = async (id: string) =>
  (await t.admin().get(`/v1/customers/${id}/lifecycle`)).body.data as Array<Record<string, unknown>>;

/** The events of the feed after a cursor, and where the feed ends. */
async function feed(after?: string) {
  const events: Array<{ type: string; data: Record<string, unknown>; changes: unknown }> = [];
  let cursor = after;
  for (;;) {
    const res = await t
      .admin()
      .get('/v1/events')
      .query({ limit: 1000, ...(cursor ? { after: cursor } : {}) });
    cursor = res.body.nextCursor as string;
    if (res.body.data.length === 0) return { events, cursor };
    events.push(...res.body.data);
  }
}

describe('reads join where the customer stands', () => {
  test('a churn recorded shows on GET by id and external id, in lists, CSV pages and exports', async () => {
    const c = await createCustomer(t, { name: 'Derived Churn', externalId: 'DER-1' });
    const since = new Date('2026-10-05T09:30:00.000Z');
    await record([
      {
        customerId: c.id,
        kind: 'churn_status',
        from: null,
        to: 'active',
        at: new Date('2026-01-02'),
        cause: 'purchase',
      },
      {
        customerId: c.id,
        kind: 'churn_status',
        from: 'active',
        to: 'churned',
        at: since,
        cause: 'manual',
        reason: 'price',
        actor: 'x',
      },
    ]);
    const churn = {
      status: 'churned',
      since: since.toISOString(),
      reason: 'price',
      cause: 'manual',
      attribution: null,
    };
    const got = await read(c.id);
    expect(got).toMatchObject({ churnStatus: 'churned', churn, lifecycleStage: 'selection', version: 1 });
    expect((await t.admin().get('/v1/customers/external/DER-1')).body).toEqual(got);

    const list = await t.admin().get('/v1/customers?churnStatus=churned');
    expect(list.body.data).toEqual([got]);
    expect((await t.admin().get('/v1/customers?churnStatus=active')).body.data).toEqual([]);

    const csv = await t.admin().get('/v1/customers?churnStatus=churned').set('accept', 'text/csv');
    const [row] = parse(csv.text, { columns: true }) as Array<Record<string, string>>;
    expect(row).toMatchObject({ id: c.id, churnStatus: 'churned', lifecycleStage: 'selection' });
    expect(JSON.parse(row!.churn!)).toEqual(churn);

    const exported = await t
      .admin()
      .get('/v1/exports/customers')
      .buffer(true)
      .parse((res, callback) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => callback(null, body));
      });
    const lines = (exported.body as string)
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((l) => l.id === c.id)).toEqual(got);
  });

  test('a status a rule set has no reason; a customer who never bought shows null', async () => {
    const ruled = await createCustomer(t, { name: 'Derived Rule' });
    await record([
      {
        customerId: ruled.id,
        kind: 'churn_status',
        from: null,
        to: 'at_risk',
        at: new Date('2026-09-14'),
        cause: 'rule',
      },
    ]);
    expect((await read(ruled.id)).churn).toEqual({
      status: 'at_risk',
      since: '2026-09-14T00:00:00.000Z',
      reason: null,
      cause: 'rule',
      attribution: null,
    });
    const lead = await createCustomer(t, { name: 'Derived Lead' });
    expect(lead).toMatchObject({
      churnStatus: null,
      churn: { status: null, since: null, reason: null, cause: null, attribution: null },
    });
  });
});

describe('stars: the override, else the current run', () => {
  test("a run's stars show without an override, the override wins, clearing it brings the run's back", async () => {
    const buyer = await createCustomer(t, { name: 'Derived Buyer', externalId: 'DER-BUYER' });
    await buy(t, buyer.id, ['2026-01-05', '2026-03-05', '2026-05-05'], '250.00');
    const runId = await runAnalytics(t, '2026-06-30');
    const [values] = await t.db
      .knex('customer_values')
      .where({ run_id: runId, customer_id: buyer.id })
      .select('stars');
    const runStars = Number(values!.stars);
    expect(runStars).toBeGreaterThanOrEqual(1);

    const valued = await read(buyer.id);
    expect(valued).toMatchObject({ stars: runStars, starsOverride: null, value: { runId } });
    // The run replayed the purchases: acquired and active.
    expect(valued.churnStatus).toBe('active');
    expect((await t.admin().get(`/v1/customers?stars=${runStars}&q=derived buyer`)).body.data).toHaveLength(
      1,
    );

    const other = runStars === 5 ? 1 : 5;
    const overridden = await t
      .admin()
      .patch(`/v1/customers/${buyer.id}`)
      .send({ starsOverride: { stars: other, reason: 'key account' } });
    expect(overridden.status).toBe(200);
    expect(overridden.body.stars).toBe(other);
    expect((await read(buyer.id)).stars).toBe(other);
    expect((await t.admin().get(`/v1/customers?stars=${other}&q=derived buyer`)).body.data).toHaveLength(1);
    expect((await t.admin().get(`/v1/customers?stars=${runStars}&q=derived buyer`)).body.data).toHaveLength(
      0,
    );
    // The batch path reads the same way.
    const upsert = await t.admin().put('/v1/customers/external/DER-BUYER').send({ notes: 'n' });
    expect(upsert.body.stars).toBe(other);

    const cleared = await t.admin().patch(`/v1/customers/${buyer.id}`).send({ starsOverride: null });
    expect(cleared.body.stars).toBe(runStars);
    expect((await t.admin().get(`/v1/customers?stars=${runStars}&q=derived buyer`)).body.data).toHaveLength(
      1,
    );
  });
});

describe('a stage set by hand', () => {
  test('PATCH records a manual lifecycle event and emits lifecycle_stage_changed; the same stage again records nothing', async () => {
    const c = await createCustomer(t, { name: 'Derived Stage' });
    const { cursor } = await feed();
    clock.set('2026-11-24T09:00:00.000Z');
    const res = await t.admin().patch(`/v1/customers/${c.id}`).send({ lifecycleStage: 'retention' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ lifecycleStage: 'retention', version: 2 });
    expect(await read(c.id)).toEqual(res.body);
    expect(await history(c.id)).toEqual([
      {
        id: expect.any(String),
        kind: 'stage',
        from: 'selection',
        to: 'retention',
        at: '2026-11-24T09:00:00.000Z',
        cause: 'manual',
        runId: null,
        reason: null,
        note: null,
      },
    ]);
    const { events, cursor: after } = await feed(cursor);
    expect(events.map((e) => e.type)).toEqual(['customer.updated', 'customer.lifecycle_stage_changed']);
    expect(events[1]!.changes).toEqual([{ field: 'lifecycleStage', from: 'selection', to: 'retention' }]);
    expect(events[1]!.data).toEqual(res.body);

    const again = await t.admin().patch(`/v1/customers/${c.id}`).send({ lifecycleStage: 'retention' });
    expect(again.body.version).toBe(2);
    expect(await history(c.id)).toHaveLength(1);
    expect((await feed(after)).events).toEqual([]);
    const [actor] = await t.db.knex('lifecycle_events').where({ customer_id: c.id }).pluck('actor');
    expect(actor).toEqual(expect.any(String));
  });

  test('on create: a stage other than selection is recorded from selection; selection records nothing', async () => {
    const { cursor } = await feed();
    const staged = await createCustomer(t, { name: 'Derived Created', lifecycleStage: 'extension' });
    expect(staged.lifecycleStage).toBe('extension');
    expect(await history(staged.id)).toEqual([
      expect.objectContaining({ kind: 'stage', from: 'selection', to: 'extension', cause: 'manual' }),
    ]);
    const plain = await createCustomer(t, { name: 'Derived Plain', lifecycleStage: 'selection' });
    expect(await history(plain.id)).toEqual([]);
    const { events } = await feed(cursor);
    expect(events.map((e) => [e.type, e.data.id])).toEqual([
      ['customer.created', staged.id],
      ['customer.lifecycle_stage_changed', staged.id],
      ['customer.created', plain.id],
    ]);
    expect(events[1]!.changes).toEqual([{ field: 'lifecycleStage', from: 'selection', to: 'extension' }]);
  });

  test('PUT by external id and the batch record the stage the same way', async () => {
    const created = await t
      .admin()
      .put('/v1/customers/external/DER-PUT')
      .send({ name: 'Put', lifecycleStage: 'acquisition' });
    expect(created.status).toBe(201);
    const changed = await t
      .admin()
      .put('/v1/customers/external/DER-PUT')
      .send({ lifecycleStage: 'retention' });
    expect(changed.status).toBe(200);
    expect(changed.body.lifecycleStage).toBe('retention');
    expect((await history(created.body.id)).map((e) => [e.from, e.to])).toEqual([
      ['acquisition', 'retention'],
      ['selection', 'acquisition'],
    ]);

    const batch = await t
      .admin()
      .post('/v1/customers/batch')
      .send({
        items: [
          { externalId: 'DER-PUT', lifecycleStage: 'extension' },
          { externalId: 'DER-B-NEW', name: 'Batch New', lifecycleStage: 'retention' },
          { externalId: 'DER-B-SEL', name: 'Batch Sel' },
        ],
      });
    expect(batch.status).toBe(200);
    const [put, fresh, sel] = batch.body.results as Array<{ id: string; outcome: string }>;
    expect((await read(put!.id)).lifecycleStage).toBe('extension');
    expect((await history(put!.id))[0]).toMatchObject({
      from: 'retention',
      to: 'extension',
      cause: 'manual',
    });
    expect((await read(fresh!.id)).lifecycleStage).toBe('retention');
    expect(await history(fresh!.id)).toEqual([
      expect.objectContaining({ from: 'selection', to: 'retention' }),
    ]);
    expect(await history(sel!.id)).toEqual([]);
    expect((await t.admin().get('/v1/customers?lifecycleStage=extension&q=put')).body.data).toHaveLength(1);
  });

  test('a stage a run set is the "from" of the next manual one, and a failed write records nothing', async () => {
    const c = await createCustomer(t, { name: 'Derived From Run' });
    await record([
      {
        customerId: c.id,
        kind: 'stage',
        from: 'selection',
        to: 'acquisition',
        at: new Date('2026-02-01'),
        cause: 'purchase',
      },
    ]);
    const stale = await t
      .admin()
      .patch(`/v1/customers/${c.id}`)
      .set('if-match', '"v9"')
      .send({ lifecycleStage: 'extension' });
    expect(stale.status).toBe(412);
    expect(await history(c.id)).toHaveLength(1);
    await t.admin().patch(`/v1/customers/${c.id}`).send({ lifecycleStage: 'extension' }).expect(200);
    expect((await history(c.id)).map((e) => [e.from, e.to, e.cause])).toEqual([
      ['acquisition', 'extension', 'manual'],
      ['selection', 'acquisition', 'purchase'],
    ]);
  });
});

import { LifecycleRepository, type LifecycleChange } from '../../src/modules/lifecycle/repository';
import { createCustomer } from '../helpers/customers';
import { expectProblem, expectValidation } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** GET /v1/customers/{id}/lifecycle: the history newest first, paged, by kind. */
let t: TestApp;
let id: string;
const RUN = '01a2317e-0a00-7000-8000-00000000a001';

beforeAll(async () => {
  t = await createTestApp();
  id = (await createCustomer(t, { name: 'History' })).id;
  const day = (d: string) => new Date(`${d}T00:00:00.000Z`);
  // Given out of order: the history is ordered by when each change happened.
  const changes: LifecycleChange[] = [
    {
      customerId: id,
      kind: 'churn_status',
      from: 'active',
      to: 'at_risk',
      at: day('2026-04-10'),
      cause: 'rule',
      runId: RUN,
    },
    {
      customerId: id,
      kind: 'churn_status',
      from: null,
      to: 'active',
      at: day('2026-01-05'),
      cause: 'purchase',
      runId: RUN,
    },
    {
      customerId: id,
      kind: 'stage',
      from: 'selection',
      to: 'acquisition',
      at: day('2026-01-05'),
      cause: 'purchase',
      runId: RUN,
    },
    {
      customerId: id,
      kind: 'stage',
      from: 'acquisition',
      to: 'retention',
      at: day('2026-03-01'),
      cause: 'purchase',
      runId: RUN,
    },
    {
      customerId: id,
      kind: 'churn_status',
      from: 'at_risk',
      to: 'churned',
      at: new Date('2026-05-02T09:30:00.000Z'),
      cause: 'manual',
      reason: 'price',
      note: 'Moved to a cheaper supplier.',
      actor: 'admin',
    },
  ];
  await t.db.knex.transaction((trx) => new LifecycleRepository(t.db.knex).record(changes, trx));
}, 120_000);
afterAll(async () => t.close());

const path = () => `/v1/customers/${id}/lifecycle`;

test('newest first, each change as recorded', async () => {
  const res = await t.admin().get(path());
  expect(res.status).toBe(200);
  expect(res.body.nextCursor).toBeNull();
  expect(res.body.data[0]).toEqual({
    id: expect.any(String),
    kind: 'churn_status',
    from: 'at_risk',
    to: 'churned',
    at: '2026-05-02T09:30:00.000Z',
    cause: 'manual',
    runId: null,
    reason: 'price',
    note: 'Moved to a cheaper supplier.',
  });
  expect(res.body.data.map((e: { to: string; at: string }) => [e.at.slice(0, 10), e.to])).toEqual([
    ['2026-05-02', 'churned'],
    ['2026-04-10', 'at_risk'],
    ['2026-03-01', 'retention'],
    // Same day: the one recorded later first.
    ['2026-01-05', 'acquisition'],
    ['2026-01-05', 'active'],
  ]);
  expect(res.body.data[1]).toMatchObject({ cause: 'rule', runId: RUN, reason: null, note: null });
});

test('pages with limit and cursor, the whole history once', async () => {
  const all = (await t.admin().get(path())).body.data as Array<{ id: string }>;
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await t
      .admin()
      .get(path())
      .query({ limit: 2, ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(2);
    seen.push(...res.body.data.map((e: { id: string }) => e.id));
    cursor = res.body.nextCursor ?? undefined;
    pages++;
  } while (cursor);
  expect(pages).toBe(3);
  expect(seen).toEqual(all.map((e) => e.id));
});

test('kind keeps one of the two, paged too', async () => {
  const stages = await t.admin().get(path()).query({ kind: 'stage' });
  expect(stages.body.data.map((e: { to: string }) => e.to)).toEqual(['retention', 'acquisition']);
  const first = await t.admin().get(path()).query({ kind: 'churn_status', limit: 2 });
  expect(first.body.data.map((e: { to: string }) => e.to)).toEqual(['churned', 'at_risk']);
  const second = await t
    .admin()
    .get(path())
    .query({ kind: 'churn_status', limit: 2, cursor: first.body.nextCursor });
  expect(second.body.data.map((e: { to: string }) => e.to)).toEqual(['active']);
  expect(second.body.nextCursor).toBeNull();
  expectValidation(await t.admin().get(path()).query({ kind: 'value' }), 'kind');
});

test('a customer with no history answers an empty page', async () => {
  const other = await createCustomer(t, { name: 'No History' });
  const res = await t.admin().get(`/v1/customers/${other.id}/lifecycle`);
  expect(res.body).toEqual({ data: [], nextCursor: null });
});

test('an unknown id is 404 customer_not_found; a bad cursor is 400', async () => {
  expectProblem(
    await t.admin().get('/v1/customers/0192f3c4-0000-7000-8000-000000000000/lifecycle'),
    404,
    'customer_not_found',
  );
  expectProblem(await t.admin().get('/v1/customers/not-a-uuid/lifecycle'), 404, 'customer_not_found');
  expectProblem(await t.admin().get(path()).query({ cursor: 'garbage' }), 400, 'invalid_cursor');
  const otherSort = Buffer.from(JSON.stringify(['createdAt', '2026-01-01T00:00:00.000Z', id])).toString(
    'base64url',
  );
  expectProblem(await t.admin().get(path()).query({ cursor: otherSort }), 400, 'invalid_cursor');
  const badSeq = Buffer.from(JSON.stringify(['lifecycle', '2026-01-01T00:00:00.000Z', 'x'])).toString(
    'base64url',
  );
  expectProblem(await t.admin().get(path()).query({ cursor: badSeq }), 400, 'invalid_cursor');
});

test('needs customers:read', async () => {
  const reader = await t.keyWith('customers:read');
  expect((await t.as(reader).get(path())).status).toBe(200);
  const other = await t.keyWith('orders:read');
  expectProblem(await t.as(other).get(path()), 403, 'forbidden');
});

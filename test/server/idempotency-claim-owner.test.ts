import { createDatabase, type Database } from '../../src/db/create-database';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * An in-flight claim names the instance that holds it; a retry takes it over at once when that
 * instance is gone and answers 409 while it lives (src/db/instance-lease.ts). In-process, so it runs
 * on PGlite too, where every instance key but the process's own is dead by construction.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

const createWithKey = (key: string, body: object) =>
  t.admin().post('/v1/customers').set('idempotency-key', key).send(body);

/** Leaves a claim as a request still being processed by `owner` would. */
async function claimInFlight(key: string, body: object, owner: number): Promise<void> {
  await createWithKey(`${key}-template`, body).expect(201);
  const template = await t.db
    .knex('idempotency_keys')
    .where({ key: `${key}-template` })
    .first();
  await t.db.knex('idempotency_keys').insert({
    ...template,
    key,
    state: 'in_flight',
    owner_instance: owner,
    response_status: null,
    response_headers: null,
    response_body: null,
    created_at: new Date(),
  });
}

const countNamed = async (name: string) =>
  Number((await t.db.knex('customers').where({ name }).count({ n: '*' }))[0]!.n);

test('a claim whose instance is gone is taken over at once', async () => {
  const body = { name: 'Owner gone' };
  await claimInFlight('gone-1', body, 1234567);
  const res = await createWithKey('gone-1', body);
  expect(res.status).toBe(201);
  expect(res.headers['idempotent-replayed']).toBeUndefined();
  const replay = await createWithKey('gone-1', body);
  expect(replay.headers['idempotent-replayed']).toBe('true');
  expect(replay.body.id).toBe(res.body.id);
  // The template's customer and the taken-over request's one.
  expect(await countNamed(body.name)).toBe(2);
});

test("a claim of this process's own instance stays in flight", async () => {
  const body = { name: 'Owner here' };
  await claimInFlight('here-1', body, await t.db.lease.key());
  expectProblem(await createWithKey('here-1', body), 409, 'idempotency_request_in_flight');
  expect(await countNamed(body.name)).toBe(1);
});

const onServer = process.env.DATABASE_URL ? test : test.skip;

onServer('a claim of another live instance is 409 until that instance ends', async () => {
  const schema = (await t.db.knex.raw('select current_schema() as s')).rows[0].s as string;
  let other: Database | undefined = await createDatabase({
    url: process.env.DATABASE_URL,
    schema,
    poolMax: 1,
  });
  try {
    const body = { name: 'Owner elsewhere' };
    await claimInFlight('elsewhere-1', body, await other.lease.key());
    expectProblem(await createWithKey('elsewhere-1', body), 409, 'idempotency_request_in_flight');
    await other.close();
    other = undefined;
    expect((await createWithKey('elsewhere-1', body)).status).toBe(201);
  } finally {
    await other?.close();
  }
});

import { countCustomers, createCustomer } from '../helpers/customers';
import { expectProblem, expectValidation } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let existing: { id: string; version: number } & Record<string, unknown>;
beforeAll(async () => {
  t = await createTestApp();
  existing = await createCustomer(t, {
    name: 'Untouchable',
    region: 'north',
    emails: [{ address: 'u@example.com' }],
  });
}, 120_000);
afterAll(async () => t.close());

/** The existing customer must read back exactly as created: a rejected write changed nothing. */
async function expectUnchanged() {
  const res = await t.admin().get(`/v1/customers/${existing.id}`);
  expect(res.status).toBe(200);
  expect(res.body).toEqual(existing);
}

// Every row has four entries: jest passes `done` in the place of a missing last argument.
const invalidBodies: Array<[string, Record<string, unknown>, string, RegExp | null]> = [
  ['an unknown field', { name: 'X', nickname: 'x' }, 'body/nickname', /not a known field/],
  ['a read-only id', { name: 'X', id: '0192f3c4-0000-7000-8000-000000000000' }, 'body/id', /read-only/],
  ['a read-only createdAt', { name: 'X', createdAt: '2026-01-01T00:00:00Z' }, 'body/createdAt', /read-only/],
  ['a read-only updatedAt', { name: 'X', updatedAt: '2026-01-01T00:00:00Z' }, 'body/updatedAt', /read-only/],
  ['a read-only deletedAt', { name: 'X', deletedAt: null }, 'body/deletedAt', /read-only/],
  ['a read-only version', { name: 'X', version: 7 }, 'body/version', /read-only/],
  ['read-only stars', { name: 'X', stars: 5 }, 'body/stars', /read-only/],
  ['read-only churnStatus', { name: 'X', churnStatus: 'active' }, 'body/churnStatus', /read-only/],
  ['read-only direct', { name: 'X', direct: false }, 'body/direct', /read-only/],
  [
    'a number as a string',
    { name: 'X', starsOverride: { stars: '5', reason: 'r' } },
    'body/starsOverride/stars',
    null,
  ],
  ['a string as a number', { name: 12345 }, 'body/name', null],
  [
    'an array as a custom field value',
    { name: 'X', customFields: { vip: ['yes'] } },
    'body/customFields/vip',
    null,
  ],
  ['a string as an array', { name: 'X', tags: 'vip' }, 'body/tags', null],
  ['a string as an object', { name: 'X', starsOverride: '5' }, 'body/starsOverride', null],
  ['a bad email', { name: 'X', emails: [{ address: 'not-an-email' }] }, 'body/emails/0/address', null],
  ['a bad date', { name: 'X', birthday: '17/05/1990' }, 'body/birthday', null],
  ['an impossible date', { name: 'X', birthday: '1990-02-30' }, 'body/birthday', null],
  ['an invalid enum', { name: 'X', category: 'vip' }, 'body/category', null],
  ['an invalid nested enum', { name: 'X', interests: ['gossip'] }, 'body/interests/0', null],
  [
    'an unknown nested field',
    { name: 'X', emails: [{ address: 'a@b.co', primary: true }] },
    'body/emails/0/primary',
    null,
  ],
  ['an empty name', { name: '' }, 'body/name', null],
  ['a bad tag', { name: 'X', tags: ['Not OK'] }, 'body/tags/0', null],
  ['a bad viaChannelId', { name: 'X', viaChannelId: 'abc' }, 'body/viaChannelId', null],
];

describe('POST /v1/customers rejects', () => {
  test.each(invalidBodies)('%s with 400 and writes nothing', async (_label, body, path, message) => {
    const before = await countCustomers(t);
    const res = await t.admin().post('/v1/customers').send(body);
    const problem = expectValidation(res, path);
    expect(problem.code).toBe('validation_failed');
    if (message) {
      expect(problem.errors?.find((e) => e.path.endsWith(path))?.message).toMatch(message);
    }
    expect(await countCustomers(t)).toBe(before);
  });

  test('a missing name with 400 naming it', async () => {
    const res = await t.admin().post('/v1/customers').send({ region: 'north' });
    const problem = expectValidation(res, 'body/name');
    expect(problem.errors).toEqual([{ path: 'body/name', message: 'is required' }]);
  });

  test('several problems at once, each named', async () => {
    const res = await t.admin().post('/v1/customers').send({ name: 1, category: 'vip', version: 2 });
    expectValidation(res, 'body/name', 'body/category', 'body/version');
  });

  test('a body that is not an object', async () => {
    expectProblem(
      await t
        .admin()
        .post('/v1/customers')
        .send([{ name: 'X' }]),
      400,
      'validation_failed',
    );
    expectProblem(
      await t.admin().post('/v1/customers').set('content-type', 'application/json').send('"just a string"'),
      400,
      'validation_failed',
    );
  });
});

describe('PATCH /v1/customers/{id} rejects without changing the customer', () => {
  test.each(invalidBodies)('%s', async (_label, body, path) => {
    const res = await t.admin().patch(`/v1/customers/${existing.id}`).send(body);
    expectValidation(res, path);
    await expectUnchanged();
  });

  test('a read-only field next to a valid one', async () => {
    const res = await t.admin().patch(`/v1/customers/${existing.id}`).send({ region: 'south', version: 99 });
    expectValidation(res, 'body/version');
    await expectUnchanged();
  });
});

describe('malformed requests', () => {
  test('malformed JSON is 400 malformed_json', async () => {
    const before = await countCustomers(t);
    const res = await t
      .admin()
      .post('/v1/customers')
      .set('content-type', 'application/json')
      .send('{"name": "Half');
    expectProblem(res, 400, 'malformed_json');
    expect(await countCustomers(t)).toBe(before);
    const patch = await t
      .admin()
      .patch(`/v1/customers/${existing.id}`)
      .set('content-type', 'application/json')
      .send('{region: south}');
    expectProblem(patch, 400, 'malformed_json');
    await expectUnchanged();
  });

  test('an empty JSON body is 400', async () => {
    const res = await t.admin().post('/v1/customers').set('content-type', 'application/json').send('');
    expectProblem(res, 400, 'empty_body');
  });

  test('no body at all is 400', async () => {
    const res = await t.admin().post('/v1/customers');
    expectProblem(res, 400);
    const patch = await t.admin().patch(`/v1/customers/${existing.id}`);
    expectProblem(patch, 400);
    await expectUnchanged();
  });

  test('a JSON null body is 400', async () => {
    const res = await t.admin().post('/v1/customers').set('content-type', 'application/json').send('null');
    expectProblem(res, 400);
  });

  test('an unknown query parameter is 400', async () => {
    const res = await t.admin().get(`/v1/customers/${existing.id}?expand=orders`);
    expectValidation(res, 'expand');
  });
});

describe('unknown routes', () => {
  test('an unknown path is 404 problem+json route_not_found', async () => {
    const res = await t.admin().get('/v1/nothing-here');
    expectProblem(res, 404, 'route_not_found');
    expectProblem(await t.http().get('/nothing'), 404, 'route_not_found');
  });

  test('an unsupported method on a known path is 404 problem+json', async () => {
    expectProblem(
      await t.admin().put(`/v1/customers/${existing.id}`).send({ name: 'X' }),
      404,
      'route_not_found',
    );
  });

  test('the instance names the path and the request id', async () => {
    const res = await t.admin().get('/v1/nothing-here?x=1').set('x-request-id', 'trace-me-123');
    const problem = expectProblem(res, 404);
    expect(problem.instance).toBe('/v1/nothing-here#trace-me-123');
  });
});

test('validation errors name the part of the request they are about', async () => {
  const res = await t.admin().get('/v1/customers?limit=abc');
  const problem = expectValidation(res, 'limit');
  expect(problem.errors?.[0]?.path).toMatch(/^querystring/);
});

import { testClock } from '../helpers/clock';
import { expectProblem, expectValidation } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

interface Listed {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

const clock = testClock('2026-01-01T00:00:00.000Z');
let t: TestApp;
let all: Listed[];

// Letters only, so every collation orders them alike; some differ only in case, so the
// lower-cased sort key ties and the id has to break the tie.
const NAMES = ['delta', 'Alpha', 'alpha', 'charlie', 'Bravo', 'echo', 'bravo', 'foxtrot', 'ALPHA', 'golf'];

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  // 55 rows in one batch: one shared createdAt, so that sort is decided by the id alone.
  const items = Array.from({ length: 55 }, (_, i) => ({
    externalId: `bulk-${i}`,
    name: `${NAMES[i % NAMES.length]}`,
  }));
  const batch = await t.admin().post('/v1/customers/batch').send({ items });
  expect(batch.status).toBe(200);
  // Then rows one by one with distinct times, a few sharing a second.
  for (let i = 0; i < 12; i += 1) {
    if (i % 3 !== 0) clock.advance(1000);
    await t
      .admin()
      .post('/v1/customers')
      .send({ name: NAMES[(i * 7) % NAMES.length] })
      .expect(201);
  }
  // Touch some so updatedAt differs from createdAt and ties again.
  clock.advance(60_000);
  for (const externalId of ['bulk-3', 'bulk-30', 'bulk-17']) {
    await t.admin().put(`/v1/customers/external/${externalId}`).send({ notes: 'touched' }).expect(200);
  }
  clock.advance(1000);
  await t.admin().put('/v1/customers/external/bulk-9').send({ notes: 'touched later' }).expect(200);
  // A deleted one that no list may show.
  const gone = await t.admin().post('/v1/customers').send({ name: 'deleted' }).expect(201);
  await t.admin().delete(`/v1/customers/${gone.body.id}`).expect(204);

  const everything = await t.admin().get('/v1/customers?limit=500');
  all = everything.body.data;
}, 120_000);
afterAll(async () => t.close());

async function walk(sort: string | undefined, limit: number): Promise<Listed[]> {
  const seen: Listed[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const query: Record<string, string | number> = { limit };
    if (sort) query.sort = sort;
    if (cursor) query.cursor = cursor;
    const res = await t.admin().get('/v1/customers').query(query);
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(limit);
    seen.push(...res.body.data);
    cursor = res.body.nextCursor;
    if (cursor === null) return seen;
    expect(res.body.data).toHaveLength(limit);
  }
  throw new Error('the walk did not end');
}

const byId = (a: Listed, b: Listed) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const keyOf: Record<string, (c: Listed) => string> = {
  name: (c) => c.name.toLowerCase(),
  createdAt: (c) => c.createdAt,
  updatedAt: (c) => c.updatedAt,
};

function expectedOrder(sort: string): Listed[] {
  const descending = sort.startsWith('-');
  const key = keyOf[descending ? sort.slice(1) : sort]!;
  const sorted = [...all].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : byId(a, b);
  });
  return descending ? sorted.reverse() : sorted;
}

test('the fixture has what the walks need', () => {
  expect(all).toHaveLength(67);
  expect(all.some((c) => c.name === 'deleted')).toBe(false);
});

test('limit defaults to 50', async () => {
  const res = await t.admin().get('/v1/customers');
  expect(res.status).toBe(200);
  expect(res.body.data).toHaveLength(50);
  expect(typeof res.body.nextCursor).toBe('string');
});

test('limit is 1 to 500', async () => {
  expect((await t.admin().get('/v1/customers?limit=500')).status).toBe(200);
  expectValidation(await t.admin().get('/v1/customers?limit=501'), 'limit');
  expectValidation(await t.admin().get('/v1/customers?limit=0'), 'limit');
  expectValidation(await t.admin().get('/v1/customers?limit=-1'), 'limit');
  expectValidation(await t.admin().get('/v1/customers?limit=ten'), 'limit');
  const one = await t.admin().get('/v1/customers?limit=1');
  expect(one.body.data).toHaveLength(1);
});

test('a page that holds the rest answers nextCursor null', async () => {
  const res = await t.admin().get('/v1/customers?limit=67');
  expect(res.body.data).toHaveLength(67);
  expect(res.body.nextCursor).toBeNull();
});

describe.each(['createdAt', '-createdAt', 'name', '-name', 'updatedAt', '-updatedAt'])('sort=%s', (sort) => {
  test('the cursor walks every record exactly once, in order', async () => {
    const seen = await walk(sort, 7);
    expect(seen.map((c) => c.id)).toEqual(expectedOrder(sort).map((c) => c.id));
    expect(new Set(seen.map((c) => c.id)).size).toBe(all.length);
  });
});

test('the default sort is createdAt ascending', async () => {
  const seen = await walk(undefined, 10);
  expect(seen.map((c) => c.id)).toEqual(expectedOrder('createdAt').map((c) => c.id));
});

test('a walk with a page size that divides the total ends on an empty-free last page', async () => {
  const seen = await walk('name', 67);
  expect(seen).toHaveLength(67);
});

describe('cursors', () => {
  test('a cursor that is not one the API issued is 400 invalid_cursor', async () => {
    for (const cursor of ['garbage', 'eyJ4IjoxfQ', Buffer.from('[1,2,3]').toString('base64url'), '%%%']) {
      const res = await t.admin().get('/v1/customers').query({ cursor });
      expectProblem(res, 400, 'invalid_cursor');
    }
  });

  test('a cursor from another sort is 400 invalid_cursor', async () => {
    const first = await t.admin().get('/v1/customers?sort=name&limit=5');
    const cursor = first.body.nextCursor as string;
    expectProblem(
      await t.admin().get('/v1/customers').query({ cursor, sort: '-name' }),
      400,
      'invalid_cursor',
    );
    expectProblem(await t.admin().get('/v1/customers').query({ cursor }), 400, 'invalid_cursor');
    expect((await t.admin().get('/v1/customers').query({ cursor, sort: 'name' })).status).toBe(200);
  });

  test('a forged cursor with values of the wrong form is 400, not 500', async () => {
    const forged = [
      ['createdAt', 'not a date', '0192f3c4-0000-7000-8000-000000000000'],
      ['createdAt', '2026-01-01T00:00:00.000Z', 'not-a-uuid'],
    ];
    for (const position of forged) {
      const cursor = Buffer.from(JSON.stringify(position)).toString('base64url');
      const sort = String(position[0]);
      const res = await t.admin().get('/v1/customers').query({ cursor, sort });
      expectProblem(res, 400);
    }
  });

  test('an unknown sort is 400', async () => {
    expectValidation(await t.admin().get('/v1/customers?sort=stars'), 'sort');
    expectValidation(await t.admin().get('/v1/customers?sort=id'), 'sort');
  });
});

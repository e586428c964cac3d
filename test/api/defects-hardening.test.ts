import { parse } from 'csv-parse/sync';
import { testClock } from '../helpers/clock';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

// Defects found by trying the service from outside (issue 9, part 8), each pinned by a test.
const clock = testClock('2026-11-23T08:00:00.000Z');
jest.setTimeout(120_000);
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
});
afterAll(async () => t.close());

async function waitForRun(id: string) {
  for (let i = 0; i < 600; i++) {
    const res = await t.admin().get(`/v1/analytics/runs/${id}`);
    if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('run did not finish');
}

/** The statements the app sends while `work` runs. */
async function queriesDuring(work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const listener = () => (count += 1);
  t.db.knex.on('query', listener);
  try {
    await work();
  } finally {
    t.db.knex.removeListener('query', listener);
  }
  return count;
}

describe('PUT /v1/customers/{id}/assigned-regions honours If-Match', () => {
  test('a stale tag is 412; the current one is applied and moves the ETag', async () => {
    const channel = await createCustomer(t, { name: 'Region Reseller', category: 'channel' });
    const path = `/v1/customers/${channel.id}/assigned-regions`;
    const read = await t.admin().get(`/v1/customers/${channel.id}`);
    const tag = read.headers.etag as string;
    expect(tag).toBe(`"v${channel.version}"`);

    expectProblem(
      await t
        .admin()
        .put(path)
        .set('if-match', '"v0"')
        .send({ regions: ['north'] }),
      412,
      'precondition_failed',
    );
    expect((await t.admin().get(path)).body.regions).toEqual([]);

    const applied = await t
      .admin()
      .put(path)
      .set('if-match', tag)
      .send({ regions: ['north'] });
    expect(applied.status).toBe(200);
    expect(applied.body).toEqual({ regions: ['north'] });
    const moved = applied.headers.etag as string;
    expect(moved).toBe(`"v${channel.version + 1}"`);
    expect((await t.admin().get(`/v1/customers/${channel.id}`)).headers.etag).toBe(moved);

    // The tag read before the change is stale now.
    expectProblem(
      await t
        .admin()
        .put(path)
        .set('if-match', tag)
        .send({ regions: ['south'] }),
      412,
      'precondition_failed',
    );
    const listed = await t.admin().get(path);
    expect(listed.body.regions).toEqual(['north']);
    expect(listed.headers.etag).toBe(moved);
    expect(
      (
        await t
          .admin()
          .put(path)
          .set('if-match', '*')
          .send({ regions: ['north'] })
      ).status,
    ).toBe(200);
    expect(
      (
        await t
          .admin()
          .put(path)
          .send({ regions: ['east'] })
      ).status,
    ).toBe(200);
  });
});

describe('value cards in GET /v1/analytics/values', () => {
  const ids: string[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 4; i++) {
      const c = await createCustomer(t, { name: `Valued ${i}`, externalId: `VAL-${i}` });
      ids.push(c.id);
      const orders = [0, 1, 2].map((k) => ({
        externalId: `VAL-${i}-O-${k}`,
        customerId: c.id,
        orderedAt: `2026-0${k + 3}-1${i}T10:00:00Z`,
        amount: `${(i + 1) * 10 + k}.00`,
        currency: 'USD',
        paymentTermsDays: 14,
      }));
      expect((await t.admin().post('/v1/orders/batch').send({ items: orders })).status).toBe(200);
      if (i % 2 === 0) {
        const paid = await t
          .admin()
          .post('/v1/payments')
          .send({ customerId: c.id, amount: '15.00', currency: 'USD', receivedAt: '2026-04-01T10:00:00Z' });
        expect(paid.status).toBe(201);
      }
    }
    const started = await t.admin().post('/v1/analytics/runs').send({ asOf: '2026-11-01' });
    expect(await waitForRun(started.body.id)).toMatchObject({ status: 'done' });
  });

  test('each card in the list carries the credit (and stars) of the customer card', async () => {
    await t
      .admin()
      .patch(`/v1/customers/${ids[1]}`)
      .send({ starsOverride: { stars: 5, reason: 'key account' } });
    const page = await t.admin().get('/v1/analytics/values?limit=500');
    expect(page.status).toBe(200);
    const listed = page.body.data.filter((c: { customerId: string }) => ids.includes(c.customerId));
    expect(listed).toHaveLength(ids.length);
    for (const card of listed) {
      const single = await t.admin().get(`/v1/customers/${card.customerId}/value`);
      expect(single.status).toBe(200);
      expect(card.credit).not.toBeNull();
      expect(card).toEqual(single.body);
    }
  });

  test('a page costs the same number of statements whatever its length', async () => {
    const one = await queriesDuring(() => t.admin().get('/v1/analytics/values?limit=1'));
    const all = await queriesDuring(() => t.admin().get('/v1/analytics/values?limit=500'));
    expect(all).toBe(one);
  });

  test('the CSV uses the JSON names (camelCase, `T`), one column per field of the card', async () => {
    const res = await t.admin().get('/v1/analytics/values').set('accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(res.text, { columns: true }) as Array<Record<string, string>>;
    const header = Object.keys(rows[0]!);
    for (const name of header) expect(name).toMatch(/^[a-zA-Z]+(\.[a-zA-Z]+)?$/);
    expect(header).toEqual(
      expect.arrayContaining(['customerId', 'summary.T', 'summary.averageCycle', 'churn.pAlive', 'stars']),
    );
    expect(header.some((h) => h === 'age' || h.includes('_'))).toBe(false);
    const card = (await t.admin().get(`/v1/customers/${ids[0]}/value`)).body;
    const row = rows.find((r) => r.customerId === ids[0])!;
    expect(Number(row['summary.T'])).toBe(card.summary.T);
    expect(Number(row['clv.predicted'])).toBe(card.clv.predicted);
    expect(row['rfm.segment']).toBe(card.rfm.segment);
    expect(row['credit.grade']).toBe(card.credit.grade);
  });
});

describe('GET /v1/customers as CSV', () => {
  test('has the columns of the customers export, the value and the profile fields included', async () => {
    await createCustomer(t, {
      name: 'Profiled',
      externalId: 'CSV-PROFILE',
      preferences: ['tea'],
      hobbies: ['chess'],
      habits: 'buys on Fridays',
      notes: 'prefers email',
      starsOverride: { stars: 4, reason: 'loyal' },
    });
    const listed = await t.admin().get('/v1/customers?limit=500').set('accept', 'text/csv');
    expect(listed.status).toBe(200);
    const exported = await t.admin().get('/v1/exports/customers?format=csv');
    expect(exported.status).toBe(200);
    const headerOf = (text: string) => text.split('\r\n')[0];
    expect(headerOf(listed.text)).toBe(headerOf(exported.text));
    const rows = parse(listed.text, { columns: true }) as Array<Record<string, string>>;
    for (const column of ['preferences', 'hobbies', 'habits', 'notes', 'starsOverride', 'value'])
      expect(Object.keys(rows[0]!)).toContain(column);
    const row = rows.find((r) => r.externalId === 'CSV-PROFILE')!;
    expect(JSON.parse(row.preferences!)).toEqual(['tea']);
    expect(JSON.parse(row.hobbies!)).toEqual(['chess']);
    expect(row.habits).toBe('buys on Fridays');
    expect(row.notes).toBe('prefers email');
    expect(JSON.parse(row.starsOverride!)).toEqual(expect.objectContaining({ stars: 4, reason: 'loyal' }));
    // Booleans read the same in both files.
    const exportedRow = (parse(exported.text, { columns: true }) as Array<Record<string, string>>).find(
      (r) => r.externalId === 'CSV-PROFILE',
    )!;
    expect(row.direct).toBe('true');
    expect(exportedRow.direct).toBe('true');
  });
});

describe('import progress counts lines one way', () => {
  test('a CSV: linesRead and lastCommittedLine are file line numbers, the header line 1', async () => {
    const csv = ['externalId,name', 'LINES-1,First', 'LINES-2,Second', ''].join('\n');
    const res = await t
      .admin()
      .post('/v1/imports?resource=customers')
      .set('content-type', 'text/csv')
      .send(csv);
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({ status: 'done', rowsCreated: 2, linesRead: 3, lastCommittedLine: 3 }),
    );
  });

  test('NDJSON with a blank line: both count it', async () => {
    const body = ['{"externalId":"LINES-3","name":"Third"}', '', '{"externalId":"LINES-4","name":"Fourth"}'];
    const res = await t
      .admin()
      .post('/v1/imports?resource=customers')
      .set('content-type', 'application/x-ndjson')
      .send(body.join('\n') + '\n');
    expect(res.body).toEqual(
      expect.objectContaining({ status: 'done', rowsCreated: 2, linesRead: 3, lastCommittedLine: 3 }),
    );
  });
});

describe('dates too far in the future', () => {
  let buyer: { id: string };
  const order = (over: Record<string, unknown> = {}) => ({
    customerId: buyer.id,
    orderedAt: '2026-11-20T10:00:00Z',
    amount: '10.00',
    currency: 'USD',
    ...over,
  });
  const payment = (over: Record<string, unknown> = {}) => ({
    customerId: buyer.id,
    receivedAt: '2026-11-20T10:00:00Z',
    amount: '10.00',
    currency: 'USD',
    ...over,
  });
  beforeAll(async () => {
    buyer = await createCustomer(t, { name: 'Time Traveller', externalId: 'FUTURE-1' });
  });

  test('an order dated years ahead is 422 date_in_future at body/orderedAt; within a day is fine', async () => {
    const body = expectProblem(
      await t
        .admin()
        .post('/v1/orders')
        .send(order({ orderedAt: '2030-10-01T00:00:00Z' })),
      422,
      'date_in_future',
    );
    expect(body.errors).toEqual([expect.objectContaining({ path: 'body/orderedAt' })]);
    const soon = await t
      .admin()
      .post('/v1/orders')
      .send(order({ orderedAt: '2026-11-24T07:00:00Z' }));
    expect(soon.status).toBe(201);
    expectProblem(
      await t.admin().patch(`/v1/orders/${soon.body.id}`).send({ orderedAt: '2026-11-25T09:00:00Z' }),
      422,
      'date_in_future',
    );
  });

  test('a batch names the row: body/items/<n>/orderedAt with its index, and writes nothing', async () => {
    const res = await t
      .admin()
      .post('/v1/orders/batch')
      .send({
        items: [
          order({ externalId: 'FUT-O-0' }),
          order({ externalId: 'FUT-O-1', orderedAt: '2030-10-01T00:00:00Z' }),
        ],
      });
    const body = expectProblem(res, 422, 'date_in_future');
    expect(body.errors).toEqual([
      expect.objectContaining({ path: 'body/items/1/orderedAt', index: 1, code: 'date_in_future' }),
    ]);
    expect((await t.admin().get('/v1/orders/external/FUT-O-0')).status).toBe(404);
  });

  test('payments: receivedAt years ahead is 422, single and batch', async () => {
    const single = expectProblem(
      await t
        .admin()
        .post('/v1/payments')
        .send(payment({ receivedAt: '2030-10-01T00:00:00Z' })),
      422,
      'date_in_future',
    );
    expect(single.errors).toEqual([expect.objectContaining({ path: 'body/receivedAt' })]);
    const batch = expectProblem(
      await t
        .admin()
        .post('/v1/payments/batch')
        .send({
          items: [
            payment({ externalId: 'FUT-P-0', receivedAt: '2030-10-01T00:00:00Z' }),
            payment({ externalId: 'FUT-P-1' }),
          ],
        }),
      422,
      'date_in_future',
    );
    expect(batch.errors).toEqual([expect.objectContaining({ path: 'body/items/0/receivedAt', index: 0 })]);
  });

  test('a birthday may not be in the future at all, nor before 1900', async () => {
    const ahead = expectProblem(
      await t.admin().post('/v1/customers').send({ name: 'Unborn', birthday: '2090-01-01' }),
      422,
      'date_in_future',
    );
    expect(ahead.errors).toEqual([expect.objectContaining({ path: 'body/birthday' })]);
    expectProblem(
      await t.admin().post('/v1/customers').send({ name: 'Tomorrow', birthday: '2026-11-24' }),
      422,
      'date_in_future',
    );
    const old = expectProblem(
      await t.admin().post('/v1/customers').send({ name: 'Ancient', birthday: '1899-12-31' }),
      400,
      'validation_failed',
    );
    expect(old.errors).toEqual([expect.objectContaining({ path: 'body/birthday' })]);
    expect(
      (await t.admin().post('/v1/customers').send({ name: 'Today', birthday: '2026-11-23' })).status,
    ).toBe(201);
    expectProblem(
      await t.admin().patch(`/v1/customers/${buyer.id}`).send({ birthday: '2090-01-01' }),
      422,
      'date_in_future',
    );
    expectProblem(
      await t.admin().put('/v1/customers/external/FUTURE-1').send({ birthday: '2090-01-01' }),
      422,
      'date_in_future',
    );
    const batch = expectProblem(
      await t
        .admin()
        .post('/v1/customers/batch')
        .send({
          items: [
            { externalId: 'FUT-C-0', name: 'Fine', birthday: '1990-01-01' },
            { externalId: 'FUT-C-1', name: 'Unborn', birthday: '2090-01-01' },
          ],
        }),
      422,
      'date_in_future',
    );
    expect(batch.errors).toEqual([expect.objectContaining({ path: 'body/items/1/birthday', index: 1 })]);
    expect((await t.admin().get('/v1/customers/external/FUT-C-0')).status).toBe(404);
  });

  test('an import rejects the row by line with the code date_in_future', async () => {
    const lines = [
      order({ externalId: 'FUT-I-0', customerExternalId: 'FUTURE-1', customerId: undefined }),
      order({
        externalId: 'FUT-I-1',
        customerExternalId: 'FUTURE-1',
        customerId: undefined,
        orderedAt: '2030-10-01T00:00:00Z',
      }),
    ];
    const res = await t
      .admin()
      .post('/v1/imports?resource=orders')
      .set('content-type', 'application/x-ndjson')
      .send(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    expect(res.status).toBe(201);
    expect(res.body).toEqual(expect.objectContaining({ status: 'done', rowsCreated: 1, rowsRejected: 1 }));
    expect(res.body.rejections).toEqual([
      expect.objectContaining({ line: 2, externalId: 'FUT-I-1', code: 'date_in_future' }),
    ]);
  });

  test('FUTURE_DATE_TOLERANCE_DAYS sets the tolerance', async () => {
    const strict = await createTestApp({ FUTURE_DATE_TOLERANCE_DAYS: '0' }, { clock });
    try {
      const c = await createCustomer(strict, { name: 'Strict' });
      const ahead = await strict.admin().post('/v1/orders').send({
        customerId: c.id,
        orderedAt: '2026-11-23T09:00:00Z',
        amount: '1.00',
        currency: 'USD',
      });
      expectProblem(ahead, 422, 'date_in_future');
      const now = await strict.admin().post('/v1/orders').send({
        customerId: c.id,
        orderedAt: '2026-11-23T08:00:00Z',
        amount: '1.00',
        currency: 'USD',
      });
      expect(now.status).toBe(201);
    } finally {
      await strict.close();
    }
  });
});

describe('contact persons', () => {
  test('only an organisation has them: a person is 422 not_an_organisation', async () => {
    const person = await createCustomer(t, { name: 'Solo Person', kind: 'person' });
    expectProblem(
      await t.admin().post(`/v1/customers/${person.id}/contacts`).send({ name: 'Assistant' }),
      422,
      'not_an_organisation',
    );
    expect((await t.admin().get(`/v1/customers/${person.id}/contacts`)).body.data).toEqual([]);
    const firm = await createCustomer(t, { name: 'Firm Ltd', kind: 'organization' });
    expect((await t.admin().post(`/v1/customers/${firm.id}/contacts`).send({ name: 'Buyer' })).status).toBe(
      201,
    );
  });
});

describe('enum errors name the allowed values', () => {
  test('a union of constants (the event feed type) becomes one message with the values', async () => {
    const body = expectProblem(
      await t.admin().get('/v1/events?type=customer.exploded'),
      400,
      'validation_failed',
    );
    expect(body.errors).toHaveLength(1);
    const message = body.errors![0]!.message;
    expect(message.startsWith('must be one of: ')).toBe(true);
    expect(message.slice('must be one of: '.length).split(', ')).toContain('customer.created');
  });

  test('a single body, a nullable enum and a batch row', async () => {
    const single = expectProblem(
      await t.admin().post('/v1/customers').send({ name: 'X', kind: 'robot' }),
      400,
      'validation_failed',
    );
    expect(single.errors).toEqual([{ path: 'body/kind', message: 'must be one of: person, organization' }]);
    const nullable = expectProblem(
      await t.admin().post('/v1/customers').send({ name: 'X', valueOrientation: 'greedy' }),
      400,
      'validation_failed',
    );
    expect(nullable.errors).toEqual([
      {
        path: 'body/valueOrientation',
        message: expect.stringMatching(/^must be one of: [a-z_-]+(, [a-z_-]+)+ or null$/),
      },
    ]);
    const batch = expectProblem(
      await t
        .admin()
        .post('/v1/orders/batch')
        .send({
          items: [
            {
              externalId: 'ENUM-1',
              customerExternalId: 'FUTURE-1',
              orderedAt: '2026-11-20T10:00:00Z',
              amount: '1.00',
              currency: 'USD',
              status: 'lost',
            },
          ],
        }),
      400,
      'validation_failed',
    );
    expect(batch.errors).toEqual([
      {
        path: 'body/items/0/status',
        index: 0,
        message: 'must be one of: placed, shipped, cancelled, returned',
      },
    ]);
  });
});

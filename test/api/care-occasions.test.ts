import { buy, runAnalytics } from '../helpers/analytics-run';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(120_000);
let t: TestApp;
let reader: string;
const ids: Record<string, string> = {};

interface Item {
  date: string;
  kind: string;
  years: number | null;
  customer: {
    id: string;
    name: string;
    owner: string | null;
    valueClass: string | null;
    predictedClv: number | null;
  };
}

beforeAll(async () => {
  t = await createTestApp(
    { CARE_FIXED_HOLIDAYS: '09-10:Teachers Day,01-01:New Year' },
    { clock: () => new Date('2026-09-01T08:00:00Z') },
  );
  reader = await t.keyWith('service:read');
  // Ada keeps her lunar birthday, 8/15: Mid-Autumn, 25 September 2026.
  ids.ada = (
    await createCustomer(t, {
      name: 'Ada',
      owner: 'wang',
      birthday: '1980-03-01',
      birthdayCalendar: 'lunar',
      lunarBirthday: { month: 8, day: 15, leapMonth: false },
    })
  ).id;
  ids.bob = (await createCustomer(t, { name: 'Bob', owner: 'li', birthday: '1990-09-10' })).id;
  ids.cai = (await createCustomer(t, { name: 'Cai', owner: 'li', birthday: '1990-10-10' })).id;
  ids.dan = (await createCustomer(t, { name: 'Dan', owner: 'wang', birthday: '2000-09-30' })).id;
  // Purchases: Bob's first on 15 September 2025 makes an anniversary; Ada buys the most.
  await buy(t, ids.bob, ['2025-09-15', '2026-03-01'], '50.00');
  await buy(t, ids.ada, ['2025-11-02', '2026-02-02', '2026-05-02', '2026-08-02'], '900.00');
  await buy(t, ids.cai, ['2025-12-01', '2026-06-01'], '10.00');
  await runAnalytics(t, '2026-09-01');
});
afterAll(async () => t.close());

const occasions = async (query = '') => {
  const res = await t.as(reader).get(`/v1/care/occasions${query}`);
  expect(res.status).toBe(200);
  return res.body as {
    from: string;
    to: string;
    data: Item[];
    nextCursor: string | null;
    holidays: unknown[];
  };
};

test('the customer schema keeps a lunar birthday; a lunar date that cannot be is refused', async () => {
  const ada = await t.admin().get(`/v1/customers/${ids.ada}`);
  expect(ada.body).toEqual(
    expect.objectContaining({
      birthdayCalendar: 'lunar',
      lunarBirthday: { month: 8, day: 15, leapMonth: false },
    }),
  );
  expect((await t.admin().get(`/v1/customers/${ids.bob}`)).body).toEqual(
    expect.objectContaining({ birthdayCalendar: 'gregorian', lunarBirthday: null }),
  );
  for (const lunarBirthday of [
    { month: 13, day: 1, leapMonth: false },
    { month: 0, day: 1, leapMonth: false },
    { month: 8, day: 31, leapMonth: false },
    { month: 8, day: 15, leapMonth: 'no' },
  ]) {
    expectProblem(
      await t.admin().post('/v1/customers').send({ name: 'X', lunarBirthday }),
      400,
      'validation_failed',
    );
  }
  const missing = expectProblem(
    await t.admin().post('/v1/customers').send({ name: 'X', birthdayCalendar: 'lunar' }),
    400,
    'validation_failed',
  );
  expect(missing.errors?.[0]?.path).toBe('body/lunarBirthday');
  // A leap-month birthday is kept; PATCH sets and clears it.
  const patched = await t
    .admin()
    .patch(`/v1/customers/${ids.cai}`)
    .send({ lunarBirthday: { month: 6, day: 30, leapMonth: true } });
  expect(patched.status).toBe(200);
  expect(patched.body.lunarBirthday).toEqual({ month: 6, day: 30, leapMonth: true });
  const cleared = await t.admin().patch(`/v1/customers/${ids.cai}`).send({ lunarBirthday: null });
  expect(cleared.body.lunarBirthday).toBeNull();
  // leapMonth may be left out (a regular month); a resend in any key order changes nothing.
  const batch = (lunarBirthday: Record<string, unknown>) =>
    t
      .admin()
      .post('/v1/customers/batch')
      .send({ items: [{ externalId: 'LUNAR-1', name: 'Lu', birthdayCalendar: 'lunar', lunarBirthday }] });
  expect((await batch({ month: 1, day: 30 })).body.results[0].outcome).toBe('created');
  expect((await batch({ day: 30, leapMonth: false, month: 1 })).body.results[0].outcome).toBe('unchanged');
  const lu = await t.admin().get('/v1/customers/external/LUNAR-1');
  expect(lu.body.lunarBirthday).toEqual({ month: 1, day: 30, leapMonth: false });
  await t.admin().delete(`/v1/customers/${lu.body.id}`);
});

test('the next 30 days: lunar and Gregorian birthdays, anniversaries, holidays; most valuable first', async () => {
  const body = await occasions();
  expect(body.from).toBe('2026-09-01');
  expect(body.to).toBe('2026-09-30');
  const seen = body.data.map((o) => [o.customer.name, o.kind, o.date, o.years]);
  expect(seen).toEqual(
    expect.arrayContaining([
      ['Ada', 'lunar_birthday', '2026-09-25', null],
      ['Bob', 'birthday', '2026-09-10', 36],
      ['Bob', 'anniversary', '2026-09-15', 1],
      ['Dan', 'birthday', '2026-09-30', 26],
    ]),
  );
  // Ada's Gregorian birthday is not hers to greet (her calendar is lunar); Cai's is in October.
  expect(seen).toHaveLength(4);
  const ada = body.data.find((o) => o.customer.name === 'Ada')!;
  expect(ada.customer).toEqual(
    expect.objectContaining({
      owner: 'wang',
      valueClass: expect.any(String),
      predictedClv: expect.any(Number),
    }),
  );
  // Sorted by predicted CLV high to low, unvalued (Dan never bought) last, then by date.
  const clvs = body.data.map((o) => o.customer.predictedClv);
  expect(clvs[clvs.length - 1]).toBeNull();
  const valued = clvs.filter((c): c is number => c !== null);
  expect(valued).toEqual([...valued].sort((a, b) => b - a));
  expect(body.data[0]!.customer.name).toBe('Ada');
  expect(body.holidays).toEqual([
    { date: '2026-09-10', name: 'Teachers Day', calendar: 'gregorian' },
    { date: '2026-09-25', name: 'Mid-Autumn Festival', calendar: 'lunar' },
  ]);
});

test('owner filter, days, and paging without loss or repeat', async () => {
  const wang = await occasions('?owner=wang');
  expect(wang.data.map((o) => o.customer.name).sort()).toEqual(['Ada', 'Dan']);
  const short = await occasions('?days=10');
  expect(short.to).toBe('2026-09-10');
  expect(short.data.map((o) => [o.customer.name, o.kind])).toEqual([['Bob', 'birthday']]);
  const all = await occasions();
  const paged: Item[] = [];
  let cursor: string | null = null;
  do {
    const page = await occasions(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
    paged.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  expect(paged).toEqual(all.data);
  // A year: Cai's October birthday, Bob's and Dan's next ones too, and New Year.
  const year = await occasions('?days=366');
  expect(year.data.some((o) => o.customer.name === 'Cai' && o.date === '2026-10-10')).toBe(true);
  expect(year.holidays).toEqual(
    expect.arrayContaining([
      { date: '2027-01-01', name: 'New Year', calendar: 'gregorian' },
      { date: '2027-02-06', name: 'Spring Festival', calendar: 'lunar' },
    ]),
  );
});

test('bad input is 400', async () => {
  expectProblem(await t.as(reader).get('/v1/care/occasions?days=0'), 400, 'validation_failed');
  expectProblem(await t.as(reader).get('/v1/care/occasions?days=400'), 400, 'validation_failed');
  expectProblem(await t.as(reader).get('/v1/care/occasions?cursor=abc'), 400, 'invalid_cursor');
  expectProblem(await t.as(reader).get('/v1/care/occasions?limit=0'), 400, 'validation_failed');
  const noScope = await t.keyWith('orders:read');
  expectProblem(await t.as(noScope).get('/v1/care/occasions'), 403);
});

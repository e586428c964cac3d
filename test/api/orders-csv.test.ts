import { createTestApp, type TestApp } from '../helpers/test-app';

// Loads of 1,000 rows on a shared, busy machine need more than the default 30 s.
jest.setTimeout(120_000);
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t
    .admin()
    .post('/v1/customers/batch')
    .send({
      items: [1, 2, 3].map((i) => ({
        externalId: `CSV-${i}`,
        name: i === 2 ? 'Comma, "Quoted" Ltd' : `Plain ${i}`,
        tags: ['csv'],
      })),
    });
});
afterAll(async () => t.close());

test('GET /v1/customers with Accept: text/csv answers a header row and one row per customer of the page', async () => {
  const res = await t.admin().get('/v1/customers?tag=csv&limit=2').set('accept', 'text/csv');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/csv/);
  const lines = res.text.trim().split('\r\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]!.startsWith('id,externalId,kind,category,name,')).toBe(true);
  expect(lines[2]).toContain('"Comma, ""Quoted"" Ltd"');
  expect(res.headers.link).toMatch(/^<\/v1\/customers\?.*cursor=.*>; rel="next"$/);
  const next = await t
    .admin()
    .get(res.headers.link!.slice(1, res.headers.link!.indexOf('>')))
    .set('accept', 'text/csv');
  expect(next.text.trim().split('\r\n')).toHaveLength(2);
});

test('JSON stays the default, and wins a tie', async () => {
  for (const accept of [
    undefined,
    'application/json',
    '*/*',
    'application/json, text/csv',
    'text/csv;q=0.5, application/json',
  ]) {
    const req = t.admin().get('/v1/customers?tag=csv');
    const res = accept ? await req.set('accept', accept) : await req;
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  }
  const csv = await t.admin().get('/v1/orders').set('accept', 'application/json;q=0.5, text/csv');
  expect(csv.headers['content-type']).toMatch(/^text\/csv/);
  expect(csv.text.split('\r\n')[0]).toMatch(/^id,externalId/);
});

import { storedGrams } from '../../src/domain/text/cjk-grams';
import { createCustomer } from '../helpers/customers';
import { expectValidation } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const make = async (key: string, body: Record<string, unknown>) => {
    ids[key] = (await createCustomer(t, body)).id;
  };
  await make('wang', { name: '王小明', familyName: '王', givenName: '小明' });
  await make('wangfang', { name: '王芳', addresses: [{ line1: '朝阳区建国路88号', city: '北京市' }] });
  await make('li', { name: '李娜', notes: '喜欢绿茶，常在周末来店' });
  await make('ada', {
    name: 'Ada Lovelace',
    addresses: [{ line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH' }],
    notes: 'Prefers analytical engines',
  });
  await make('tanaka', { name: '田中さくら' });
});

afterAll(() => t.close());

async function search(q: string): Promise<string[]> {
  const res = await t.admin().get('/v1/customers').query({ q, limit: 100 });
  expect(res.status).toBe(200);
  return (res.body.data as Array<{ id: string }>).map((c) => c.id).sort();
}

const idsOf = (...keys: string[]) => keys.map((k) => ids[k]!).sort();

test('one Chinese character finds every customer whose name holds it', async () => {
  expect(await search('王')).toEqual(idsOf('wang', 'wangfang'));
  expect(await search('娜')).toEqual(idsOf('li'));
  expect(await search('赵')).toEqual([]);
});

test('Chinese substrings match in order and adjacent, in names, addresses and notes', async () => {
  expect(await search('小明')).toEqual(idsOf('wang'));
  expect(await search('明小')).toEqual([]);
  expect(await search('建国路')).toEqual(idsOf('wangfang'));
  expect(await search('北京')).toEqual(idsOf('wangfang'));
  expect(await search('绿茶')).toEqual(idsOf('li'));
  // Both characters occur in the notes, but not next to each other.
  expect(await search('绿末')).toEqual([]);
  expect(await search('さくら')).toEqual(idsOf('tanaka'));
});

test('Latin text searches addresses and notes too, case-insensitively, from one character', async () => {
  expect(await search('james square')).toEqual(idsOf('ada'));
  expect(await search('SW1Y')).toEqual(idsOf('ada'));
  expect(await search('ANALYTICAL')).toEqual(idsOf('ada'));
  expect((await search('a')).length).toBeGreaterThan(0);
});

test('an update keeps the search in step', async () => {
  const current = await t.admin().get(`/v1/customers/${ids.li}`);
  const res = await t
    .admin()
    .patch(`/v1/customers/${ids.li}`)
    .set('if-match', current.headers.etag as string)
    .send({ name: '赵丽', notes: null });
  expect(res.status).toBe(200);
  expect(await search('李')).toEqual([]);
  expect(await search('绿茶')).toEqual([]);
  expect(await search('赵')).toEqual(idsOf('li'));
});

test('custom-field keys are letters, digits and underscores only, as documented', async () => {
  const bad = await t
    .admin()
    .post('/v1/customers')
    .send({ name: 'Key Test', customFields: { 'a b!': 1 } });
  expectValidation(bad, 'body/customFields/a b!');
  const good = await t
    .admin()
    .post('/v1/customers')
    .send({ name: 'Key Test', customFields: { loyalty_tier_2: 'gold' } });
  expect(good.status).toBe(201);
  const found = await t.admin().get('/v1/customers').query({ 'cf.loyalty_tier_2': 'gold' });
  expect(found.body.data.map((c: { id: string }) => c.id)).toEqual([good.body.id]);
});

test('the database stores the same grams the query side expects', async () => {
  const text = '王小明 住在 北京市朝阳区 さくら 김민수 𠀀𠀁 ada';
  const { rows } = await t.db.knex.raw<{ rows: Array<{ grams: string[] }> }>(
    'SELECT crm_cjk_grams(?) AS grams',
    [text],
  );
  expect([...rows[0]!.grams].sort()).toEqual(storedGrams(text).sort());
});

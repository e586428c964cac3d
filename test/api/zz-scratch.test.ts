import { createTestApp, type TestApp } from '../helpers/test-app';
let t: TestApp;
beforeAll(async () => { t = await createTestApp({ CORS_ORIGINS: 'https://app.example.com' }); });
afterAll(async () => t.close());
test('show', async () => {
  const show = (r: { status: number; headers: unknown; text: string }) => console.log(r.status, r.text);
  show(await t.admin().post('/v1/customers').send({ name: 12, birthday: 'x', region: 5, starsOverride: { stars: '5', reason: 'x' }, customFields: { a: [] } }));
  show(await t.admin().post('/v1/customers/batch').send({ items: [{ externalId: 'a', name: 'A' }, { externalId: 'b', name: 5 }] }));
  show(await t.admin().post('/v1/customers').set('content-type', 'text/plain').send('hello'));
  show(await t.admin().post('/v1/customers').set('content-type', '').send('{"name":"x"}'));
  show(await t.admin().post('/v1/customers').set('content-type', 'application/x-www-form-urlencoded').send('name=x'));
});

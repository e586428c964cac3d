import { newId } from '../../src/db/ids';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

test('the audit trail lists who changed which fields, newest first, page by page', async () => {
  const created = await t
    .admin()
    .post('/v1/customers')
    .send({ name: 'Audited', kind: 'organization', region: 'north' });
  const id = created.body.id as string;
  await t
    .admin()
    .patch(`/v1/customers/${id}`)
    .send({ region: 'south', tags: ['vip'] })
    .set('x-request-id', 'req-patch');
  await t.admin().post(`/v1/customers/${id}/contacts`).send({ name: 'Grace' });
  await t.admin().delete(`/v1/customers/${id}`);
  await t.admin().post(`/v1/customers/${id}/restore`);

  const all = await t.admin().get(`/v1/customers/${id}/history`);
  expect(all.status).toBe(200);
  expect(all.body.data.map((e: { action: string }) => e.action)).toEqual([
    'restored',
    'deleted',
    'contact_added',
    'updated',
    'created',
  ]);
  const update = all.body.data[3];
  expect(update.actor.name).toBe('bootstrap admin');
  expect(update.requestId).toBe('req-patch');
  expect(update.changes).toEqual([
    { field: 'region', old: 'north', new: 'south' },
    { field: 'tags', old: [], new: ['vip'] },
  ]);

  const first = await t.admin().get(`/v1/customers/${id}/history?limit=2`);
  expect(first.body.data).toHaveLength(2);
  const second = await t.admin().get(`/v1/customers/${id}/history?limit=2&cursor=${first.body.nextCursor}`);
  expect(second.body.data.map((e: { id: string }) => e.id)).toEqual(
    all.body.data.slice(2, 4).map((e: { id: string }) => e.id),
  );

  expect((await t.admin().get(`/v1/customers/${newId()}/history`)).status).toBe(404);
  expect((await t.admin().get(`/v1/customers/${id}/history?limit=0`)).status).toBe(400);
});

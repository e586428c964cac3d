import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

async function customer(body: Record<string, unknown>): Promise<string> {
  const res = await t.admin().post('/v1/customers').send(body);
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function allMembers(id: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: Record<string, string> = { limit: '2' };
    if (cursor) query.cursor = cursor;
    const res = await t.admin().get(`/v1/segments/${id}/members`).query(query);
    expect(res.status).toBe(200);
    ids.push(...res.body.data.map((m: { customerId: string }) => m.customerId));
    cursor = res.body.nextCursor;
  } while (cursor);
  return ids;
}

async function feed(type: string, segmentId: string) {
  const res = await t.admin().get('/v1/events').query({ type, limit: '1000' });
  expect(res.status).toBe(200);
  return (
    res.body.data as Array<{
      entityId?: string;
      customerId: string;
      runId: string | null;
      data: { segmentId: string };
    }>
  ).filter((e) => e.data.segmentId === segmentId);
}

describe('CRUD and filters', () => {
  test('a dynamic segment is materialised at once from the customer list filter', async () => {
    const vip1 = await customer({ name: 'Vip One', tags: ['vip'], region: 'east' });
    const vip2 = await customer({ name: 'Vip Two', tags: ['vip', 'tea'], region: 'west' });
    await customer({ name: 'Plain', tags: ['tea'], region: 'east' });
    const res = await t
      .admin()
      .post('/v1/segments')
      .send({ name: 'VIPs', kind: 'dynamic', filter: { tag: ['vip'] } });
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"v1"');
    expect(res.body).toMatchObject({
      name: 'VIPs',
      kind: 'dynamic',
      filter: { tag: ['vip'] },
      memberCount: 2,
    });
    expect(res.body.refreshedAt).not.toBeNull();
    expect((await allMembers(res.body.id)).sort()).toEqual([vip1, vip2].sort());
    const list = await t.admin().get('/v1/customers').query({ tag: 'vip', limit: '500' });
    expect(list.body.data.map((c: { id: string }) => c.id).sort()).toEqual([vip1, vip2].sort());

    const east = await t
      .admin()
      .post('/v1/segments')
      .send({ name: 'VIPs east', kind: 'dynamic', filter: { tag: 'vip', region: 'east' } });
    expect(east.status).toBe(201);
    expect(east.body.filter).toEqual({ tag: ['vip'], region: 'east' });
    expect(await allMembers(east.body.id)).toEqual([vip1]);
  });

  test('an unknown filter key or a bad value is refused and nothing is saved', async () => {
    const before = await t.admin().get('/v1/segments').query({ limit: '500' });
    const unknown = await t
      .admin()
      .post('/v1/segments')
      .send({ name: 'x', kind: 'dynamic', filter: { valueTier: 'gold' } });
    expect(unknown.status).toBe(422);
    expect(unknown.headers['content-type']).toMatch(/problem\+json/);
    expect(unknown.body.code).toBe('unknown_segment_filter');
    expect(unknown.body.detail).toContain('valueTier');
    expect(unknown.body.errors[0].path).toBe('body/filter/valueTier');
    for (const filter of [
      { valueClass: 'diamond' },
      { clvMin: 'lots' },
      { pAliveMin: 2 },
      { churnStatus: 'gone' },
    ]) {
      const bad = await t.admin().post('/v1/segments').send({ name: 'x', kind: 'dynamic', filter });
      expect(bad.status).toBe(422);
      expect(bad.body.code).toBe('invalid_segment_filter');
    }
    for (const key of ['limit', 'cursor', 'sort', 'includeDeleted']) {
      const paging = await t
        .admin()
        .post('/v1/segments')
        .send({ name: 'x', kind: 'dynamic', filter: { [key]: '1' } });
      expect(paging.status).toBe(422);
      expect(paging.body.code).toBe('unknown_segment_filter');
    }
    const noFilter = await t.admin().post('/v1/segments').send({ name: 'x', kind: 'dynamic' });
    expect(noFilter.status).toBe(422);
    const staticWithFilter = await t
      .admin()
      .post('/v1/segments')
      .send({ name: 'x', kind: 'static', filter: {} });
    expect(staticWithFilter.status).toBe(422);
    const after = await t.admin().get('/v1/segments').query({ limit: '500' });
    expect(after.body.data.length).toBe(before.body.data.length);
  });

  test('read with ETag, patch with If-Match, delete and restore', async () => {
    const created = await t.admin().post('/v1/segments').send({ name: 'Temp', kind: 'static' });
    const id = created.body.id as string;
    const got = await t.admin().get(`/v1/segments/${id}`);
    expect(got.status).toBe(200);
    expect(got.headers.etag).toBe('"v1"');
    expect((await t.admin().get(`/v1/segments/${id}`).set('if-none-match', '"v1"')).status).toBe(304);
    const stale = await t.admin().patch(`/v1/segments/${id}`).set('if-match', '"v9"').send({ name: 'New' });
    expect(stale.status).toBe(412);
    const patched = await t.admin().patch(`/v1/segments/${id}`).set('if-match', '"v1"').send({ name: 'New' });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('New');
    expect(patched.headers.etag).toBe('"v2"');
    const filterOnStatic = await t.admin().patch(`/v1/segments/${id}`).send({ filter: {} });
    expect(filterOnStatic.status).toBe(422);
    const kind = await t.admin().patch(`/v1/segments/${id}`).send({ kind: 'dynamic' });
    expect(kind.status).toBe(400);
    expect((await t.admin().delete(`/v1/segments/${id}`)).status).toBe(204);
    expect((await t.admin().get(`/v1/segments/${id}`)).status).toBe(404);
    expect((await t.admin().get(`/v1/segments/${id}/members`)).status).toBe(404);
    const restored = await t.admin().post(`/v1/segments/${id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.deletedAt).toBeNull();
    expect((await t.admin().get('/v1/segments/not-a-uuid')).body.code).toBe('segment_not_found');
  });

  test('scopes: marketing:read reads, marketing:write writes', async () => {
    const reader = await t.keyWith('marketing:read');
    expect((await t.as(reader).get('/v1/segments')).status).toBe(200);
    expect((await t.as(reader).post('/v1/segments').send({ name: 'x', kind: 'static' })).status).toBe(403);
    const other = await t.keyWith('customers:read');
    expect((await t.as(other).get('/v1/segments')).status).toBe(403);
  });
});

describe('static members', () => {
  test('a batch is all or nothing, idempotent, with per-row results and events', async () => {
    const a = await customer({ name: 'Static A' });
    const b = await customer({ name: 'Static B' });
    const gone = await customer({ name: 'Gone' });
    expect((await t.admin().delete(`/v1/customers/${gone}`)).status).toBe(204);
    const seg = (await t.admin().post('/v1/segments').send({ name: 'Hand picked', kind: 'static' })).body;
    const unknownId = '0192f3c4-0000-7000-8000-000000000000';
    const refused = await t
      .admin()
      .post(`/v1/segments/${seg.id}/members`)
      .send({ customerIds: [a, unknownId, gone] });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('customer_not_found');
    expect(refused.body.errors.map((e: { index: number }) => e.index)).toEqual([1, 2]);
    expect((await t.admin().get(`/v1/segments/${seg.id}/members/count`)).body.count).toBe(0);

    const added = await t
      .admin()
      .post(`/v1/segments/${seg.id}/members`)
      .send({ customerIds: [a, b] });
    expect(added.status).toBe(200);
    expect(added.body.results).toEqual([
      { index: 0, customerId: a, outcome: 'added' },
      { index: 1, customerId: b, outcome: 'added' },
    ]);
    const again = await t
      .admin()
      .post(`/v1/segments/${seg.id}/members`)
      .send({ customerIds: [b, b] });
    expect(again.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(again.body.memberCount).toBe(2);
    const count = await t.admin().get(`/v1/segments/${seg.id}/members/count`);
    expect(count.body.count).toBe(2);
    expect(count.body.refreshedAt).not.toBeNull();
    expect((await t.admin().get(`/v1/segments/${seg.id}`)).body.memberCount).toBe(2);

    expect((await t.admin().delete(`/v1/segments/${seg.id}/members/${a}`)).status).toBe(204);
    const missing = await t.admin().delete(`/v1/segments/${seg.id}/members/${a}`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('segment_member_not_found');
    expect(await allMembers(seg.id)).toEqual([b]);

    const addedEvents = await feed('segment.member_added', seg.id);
    expect(addedEvents.map((e) => e.customerId).sort()).toEqual([a, b].sort());
    expect(addedEvents.every((e) => e.runId === null)).toBe(true);
    const removedEvents = await feed('segment.member_removed', seg.id);
    expect(removedEvents.map((e) => e.customerId)).toEqual([a]);

    // A deleted customer is no member, whatever the list says.
    expect((await t.admin().delete(`/v1/customers/${b}`)).status).toBe(204);
    expect((await t.admin().get(`/v1/segments/${seg.id}/members/count`)).body.count).toBe(0);
    expect(await allMembers(seg.id)).toEqual([]);
  });

  test('a dynamic segment takes no members by hand', async () => {
    const c = await customer({ name: 'Dyn' });
    const seg = (await t.admin().post('/v1/segments').send({ name: 'All', kind: 'dynamic', filter: {} }))
      .body;
    const res = await t
      .admin()
      .post(`/v1/segments/${seg.id}/members`)
      .send({ customerIds: [c] });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('segment_not_static');
    const del = await t.admin().delete(`/v1/segments/${seg.id}/members/${c}`);
    expect(del.status).toBe(409);
  });
});

import { membershipDiff } from '../../src/domain/segments/filter';
import { buy, runAnalytics } from '../helpers/analytics-run';
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
  expect(res.body.nextCursor).toBeTruthy();
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

describe('members as CSV, refresh on demand', () => {
  test('the members page comes as CSV with Accept: text/csv', async () => {
    const a = await customer({ name: 'Csv, "Quoted"', externalId: 'CSV-1' });
    const seg = (await t.admin().post('/v1/segments').send({ name: 'Csv', kind: 'static' })).body;
    await t
      .admin()
      .post(`/v1/segments/${seg.id}/members`)
      .send({ customerIds: [a] });
    const res = await t.admin().get(`/v1/segments/${seg.id}/members`).set('accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, row] = res.text.trim().split('\r\n');
    expect(header).toBe('customerId,externalId,name,addedAt');
    expect(row).toContain(`${a},CSV-1,"Csv, ""Quoted""",`);
  });

  test('a refresh answers who entered and left, as events with no run', async () => {
    const c = await customer({ name: 'Refresh me', tags: ['r-none'] });
    const seg = (
      await t
        .admin()
        .post('/v1/segments')
        .send({ name: 'Tagged r1', kind: 'dynamic', filter: { tag: ['r1'] } })
    ).body;
    expect(seg.memberCount).toBe(0);
    const noRun = await t.admin().get(`/v1/segments/${seg.id}/changes`);
    expect(noRun.status).toBe(404);
    expect(noRun.body.code).toBe('no_analytics_run');

    expect(
      (
        await t
          .admin()
          .patch(`/v1/customers/${c}`)
          .send({ tags: ['r1'] })
      ).status,
    ).toBe(200);
    // Stored membership stands until the next materialisation.
    expect((await t.admin().get(`/v1/segments/${seg.id}/members/count`)).body.count).toBe(0);
    const first = await t.admin().post(`/v1/segments/${seg.id}/refresh`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ memberCount: 1, entered: 1, left: 0 });
    const again = await t.admin().post(`/v1/segments/${seg.id}/refresh`);
    expect(again.body).toMatchObject({ memberCount: 1, entered: 0, left: 0 });
    expect((await t.admin().patch(`/v1/customers/${c}`).send({ tags: [] })).status).toBe(200);
    const second = await t.admin().post(`/v1/segments/${seg.id}/refresh`);
    expect(second.body).toMatchObject({ memberCount: 0, entered: 0, left: 1 });

    const added = await feed('segment.member_added', seg.id);
    const removed = await feed('segment.member_removed', seg.id);
    expect(added.map((e) => [e.customerId, e.runId])).toEqual([[c, null]]);
    expect(removed.map((e) => [e.customerId, e.runId])).toEqual([[c, null]]);

    const patched = await t
      .admin()
      .patch(`/v1/segments/${seg.id}`)
      .send({ filter: { q: 'refresh me' } });
    expect(patched.status).toBe(200);
    expect(patched.body.memberCount).toBe(1);

    const stat = (await t.admin().post('/v1/segments').send({ name: 'S', kind: 'static' })).body;
    const refused = await t.admin().post(`/v1/segments/${stat.id}/refresh`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('segment_not_dynamic');
  });
});

describe('materialised at analytics runs', () => {
  const DAY = 86_400_000;
  const D0 = Date.UTC(2025, 0, 6);
  const day = (n: number) => new Date(D0 + n * DAY).toISOString().slice(0, 10);
  const days = (from: number, to: number, step: number) =>
    Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, k) => day(from + k * step));

  let ids: string[];
  let active: string;
  let valued: string;
  let run1: string;
  let run2: string;
  let before: Record<string, string[]>;
  let after: Record<string, string[]>;

  type Predicate = (c: { churnStatus: string | null; value: { pAlive: number | null } | null }) => boolean;
  const rules: Record<string, Predicate> = {
    active: (c) => c.churnStatus === 'active',
    valued: (c) => c.value !== null && c.value.pAlive !== null && c.value.pAlive >= 0.5,
  };

  /** The recount by hand: each customer's own GET, after the run. */
  async function recount(): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = { active: [], valued: [] };
    for (const id of ids) {
      const res = await t.admin().get(`/v1/customers/${id}`);
      for (const [name, rule] of Object.entries(rules)) if (rule(res.body)) out[name]!.push(id);
    }
    return out;
  }

  async function changesOf(segment: string, runId?: string) {
    const entered: string[] = [];
    const left: string[] = [];
    let cursor: string | null = null;
    let answeredRun: string | undefined;
    do {
      const query: Record<string, string> = { limit: '1' };
      if (runId) query.runId = runId;
      if (cursor) query.cursor = cursor;
      const res = await t.admin().get(`/v1/segments/${segment}/changes`).query(query);
      expect(res.status).toBe(200);
      answeredRun = res.body.runId;
      entered.push(...res.body.entered);
      left.push(...res.body.left);
      cursor = res.body.nextCursor;
    } while (cursor);
    return { runId: answeredRun, entered, left };
  }

  beforeAll(async () => {
    const make = async (name: string, purchaseDays: string[]) => {
      const id = await customer({ name });
      await buy(t, id, purchaseDays);
      return id;
    };
    ids = [
      await make('Steady', days(0, 190, 10)), // buys throughout: stays
      await make('Stopper', days(0, 50, 10)), // active at the first run, gone by the second: leaves
      await make('Stopper two', days(0, 40, 5)),
      await make('Late', days(150, 190, 10)), // no purchase by the first run: enters
      await make('Late two', days(170, 195, 5)),
      await make('Once', [day(20)]),
    ];
    active = (
      await t
        .admin()
        .post('/v1/segments')
        .send({ name: 'Active', kind: 'dynamic', filter: { churnStatus: 'active' } })
    ).body.id;
    valued = (
      await t
        .admin()
        .post('/v1/segments')
        .send({ name: 'Likely alive', kind: 'dynamic', filter: { pAliveMin: '0.5' } })
    ).body.id;
    run1 = await runAnalytics(t, day(60));
    before = await recount();
    run2 = await runAnalytics(t, day(200));
    after = await recount();
  }, 600_000);

  test("a run's changes are the recount of the customers whose values moved", async () => {
    for (const [name, segment] of [
      ['active', active],
      ['valued', valued],
    ] as const) {
      const expected = membershipDiff(before[name]!, after[name]!);
      const changes = await changesOf(segment, run2);
      expect({ name, entered: changes.entered, left: changes.left }).toEqual({ name, ...expected });
      // Without runId: the current run, the same answer.
      expect(await changesOf(segment)).toEqual({ runId: run2, entered: changes.entered, left: changes.left });
      // The first run: everyone the filter found then entered (the segment was empty before).
      const first = await changesOf(segment, run1);
      expect(first.entered).toEqual([...before[name]!].sort());
      expect(first.left).toEqual([]);
      expect((await allMembers(segment)).sort()).toEqual([...after[name]!].sort());
    }
    // The scenario moves customers both ways.
    const moved = membershipDiff(before.active!, after.active!);
    expect(moved.entered.length).toBeGreaterThan(0);
    expect(moved.left.length).toBeGreaterThan(0);
  });

  test('each customer entering or leaving at a run is one event carrying the run', async () => {
    const expected = membershipDiff(before.active!, after.active!);
    const added = (await feed('segment.member_added', active)).filter((e) => e.runId === run2);
    const removed = (await feed('segment.member_removed', active)).filter((e) => e.runId === run2);
    expect(added.map((e) => e.customerId).sort()).toEqual(expected.entered);
    expect(removed.map((e) => e.customerId).sort()).toEqual(expected.left);
    for (const e of [...added, ...removed])
      expect(e.data).toEqual({ segmentId: active, customerId: e.customerId, runId: run2 });
  });

  test('a run that did not change a segment answers empty lists; an unknown run 404', async () => {
    const later = (
      await t
        .admin()
        .post('/v1/segments')
        .send({ name: 'After the runs', kind: 'dynamic', filter: { churnStatus: 'active' } })
    ).body.id;
    expect(await changesOf(later, run1)).toEqual({ runId: run1, entered: [], left: [] });
    const unknown = await t
      .admin()
      .get(`/v1/segments/${later}/changes`)
      .query({ runId: '0192f3c9-8e9f-7a0b-9c1d-2e3f4a5b6c7d' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('analytics_run_not_found');
    const badCursor = await t.admin().get(`/v1/segments/${later}/changes`).query({ cursor: 'nope' });
    expect(badCursor.status).toBe(400);
  });
});

import { testClock } from '../helpers/clock';
import { countCustomers, createCustomer } from '../helpers/customers';
import { expectProblem, expectValidation } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

const clock = testClock('2026-05-01T00:00:00.000Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { clock });
}, 120_000);
afterAll(async () => t.close());

interface Result {
  index: number;
  id: string;
  externalId: string;
  outcome: 'created' | 'updated' | 'unchanged';
}

const batch = (items: unknown[]) => t.admin().post('/v1/customers/batch').send({ items });

async function byExternalId(externalId: string) {
  const res = await t.admin().get(`/v1/customers/external/${externalId}?includeDeleted=true`);
  return res.status === 200 ? (res.body as Record<string, unknown> & { version: number }) : undefined;
}

describe('outcomes', () => {
  test('created, updated and unchanged, one result per row in input order', async () => {
    await batch([
      { externalId: 'B-1', name: 'One' },
      { externalId: 'B-2', name: 'Two' },
    ]).expect(200);
    clock.advance(1000);
    const res = await batch([
      {
        externalId: 'B-3',
        name: 'Three',
        birthday: '1990-05-17',
        emails: [{ label: 'home', address: 'three@example.com' }],
      },
      { externalId: 'B-2', name: 'Two' },
      { externalId: 'B-1', region: 'north' },
    ]);
    expect(res.status).toBe(200);
    const results = res.body.results as Result[];
    expect(results.map((r) => [r.index, r.externalId, r.outcome])).toEqual([
      [0, 'B-3', 'created'],
      [1, 'B-2', 'unchanged'],
      [2, 'B-1', 'updated'],
    ]);
    for (const r of results) expect((await byExternalId(r.externalId))?.id).toBe(r.id);

    const one = await byExternalId('B-1');
    expect(one).toEqual(expect.objectContaining({ name: 'One', region: 'north', version: 2 }));
    expect((await byExternalId('B-2'))?.version).toBe(1);
  });

  test('resending the same batch changes nothing: all unchanged, versions and times kept', async () => {
    const items = Array.from({ length: 30 }, (_, i) => ({
      externalId: `SAME-${i}`,
      name: `Same ${i}`,
      kind: i % 2 ? 'organization' : 'person',
      emails: [{ address: `same${i}@example.com`, label: 'work' }],
      phones: [{ number: '+44 20 7946 0000' }],
      addresses: [{ line1: '1 Main St', city: 'Leeds', country: 'GB' }],
      birthday: '1980-01-31',
      tags: ['b', 'a'],
      interests: ['service', 'product'],
      customFields: { z: 1, a: 'x', m: true, n: null, f: 1.5 },
      starsOverride: i === 0 ? { stars: 3, reason: 'why' } : null,
      valueOrientation: 'practical',
    }));
    const first = await batch(items);
    expect(first.status).toBe(200);
    expect((first.body.results as Result[]).every((r) => r.outcome === 'created')).toBe(true);
    const before = await Promise.all(items.map((i) => byExternalId(i.externalId)));

    clock.advance(60_000);
    const again = await batch(items);
    expect(again.status).toBe(200);
    expect((again.body.results as Result[]).map((r) => r.outcome)).toEqual(items.map(() => 'unchanged'));
    expect((again.body.results as Result[]).map((r) => r.id)).toEqual(
      (first.body.results as Result[]).map((r) => r.id),
    );
    const after = await Promise.all(items.map((i) => byExternalId(i.externalId)));
    expect(after).toEqual(before);
  });

  test('a batch restores a deleted customer and says updated', async () => {
    const created = await createCustomer(t, { name: 'Phoenix', externalId: 'B-DEL' });
    await t.admin().delete(`/v1/customers/${created.id}`).expect(204);
    const res = await batch([{ externalId: 'B-DEL', name: 'Phoenix' }]);
    expect(res.body.results[0]).toEqual({
      index: 0,
      id: created.id,
      externalId: 'B-DEL',
      outcome: 'updated',
    });
    expect((await t.admin().get(`/v1/customers/${created.id}`)).body.deletedAt).toBeNull();
  });

  test('1,000 rows are accepted', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ externalId: `K-${i}`, name: `K ${i}` }));
    const res = await batch(items);
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(1000);
    expect((res.body.results as Result[]).every((r, i) => r.index === i && r.externalId === `K-${i}`)).toBe(
      true,
    );
  }, 120_000);
});

describe('rejections write nothing', () => {
  test('0 rows or 1,001 rows are 400', async () => {
    const before = await countCustomers(t);
    expectValidation(await batch([]), 'items');
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ externalId: `TM-${i}`, name: 'x' }));
    expectValidation(await batch(tooMany), 'items');
    expectProblem(await t.admin().post('/v1/customers/batch').send({}), 400, 'validation_failed');
    expectProblem(
      await t
        .admin()
        .post('/v1/customers/batch')
        .send([{ externalId: 'x', name: 'x' }]),
      400,
    );
    expect(await countCustomers(t)).toBe(before);
  });

  test('one row failing the schema is 400 naming its index', async () => {
    const before = await countCustomers(t);
    const res = await batch([
      { externalId: 'V-1', name: 'Fine' },
      { externalId: 'V-2', name: 'Fine too' },
      { externalId: 'V-3', name: 'Bad', category: 'vip' },
      { externalId: 'V-4', name: 'Also bad', id: '0192f3c4-0000-7000-8000-000000000000' },
    ]);
    const problem = expectValidation(res, 'body/items/2/category', 'body/items/3/id');
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'body/items/2/category', index: 2 }),
        expect.objectContaining({ path: 'body/items/3/id', index: 3 }),
      ]),
    );
    expect(new Set(problem.errors?.map((e) => e.index))).toEqual(new Set([2, 3]));
    expect(await countCustomers(t)).toBe(before);
    expect(await byExternalId('V-1')).toBeUndefined();
  });

  test('a row without externalId is 400 naming its index', async () => {
    const problem = expectValidation(
      await batch([{ externalId: 'N-1', name: 'ok' }, { name: 'no id' }]),
      'body/items/1/externalId',
    );
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: 'body/items/1/externalId', message: 'is required', index: 1 }),
    ]);
  });

  test('a new row without a name is 422 name_required naming its index, and nothing is written', async () => {
    await batch([{ externalId: 'NN-existing', name: 'Existing' }]).expect(200);
    const before = await countCustomers(t);
    const res = await batch([
      { externalId: 'NN-1', name: 'Fine' },
      { externalId: 'NN-existing', region: 'south' },
      { externalId: 'NN-2', region: 'no name' },
    ]);
    const problem = expectProblem(res, 422, 'name_required');
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: 'body/items/2/name', index: 2, code: 'name_required' }),
    ]);
    expect(await countCustomers(t)).toBe(before);
    expect((await byExternalId('NN-existing'))?.region).toBeNull();
  });

  test('a duplicate externalId within a batch is 400 duplicate_in_batch at the repeat', async () => {
    const before = await countCustomers(t);
    const res = await batch([
      { externalId: 'D-1', name: 'A' },
      { externalId: 'D-2', name: 'B' },
      { externalId: 'D-1', name: 'C' },
    ]);
    const problem = expectProblem(res, 400, 'duplicate_in_batch');
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: 'body/items/2/externalId', index: 2, code: 'duplicate_in_batch' }),
    ]);
    expect(await countCustomers(t)).toBe(before);
  });

  test('viaChannelId that is not a channel is 422 channel_not_found naming the row, and nothing is written', async () => {
    const channel = await createCustomer(t, { name: 'Channel Co', category: 'channel' });
    const plain = await createCustomer(t, { name: 'Plain Co', category: 'enterprise' });
    await batch([{ externalId: 'CH-existing', name: 'Existing' }]).expect(200);
    const before = await countCustomers(t);
    const res = await batch([
      { externalId: 'CH-1', name: 'Via channel', viaChannelId: channel.id },
      { externalId: 'CH-existing', notes: 'would change' },
      { externalId: 'CH-2', name: 'Via plain', viaChannelId: plain.id },
      { externalId: 'CH-3', name: 'Via nothing', viaChannelId: '0192f3c4-0000-7000-8000-000000000000' },
    ]);
    const problem = expectProblem(res, 422, 'channel_not_found');
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: 'body/items/2/viaChannelId', index: 2, code: 'channel_not_found' }),
      expect.objectContaining({ path: 'body/items/3/viaChannelId', index: 3, code: 'channel_not_found' }),
    ]);
    expect(await countCustomers(t)).toBe(before);
    expect((await byExternalId('CH-existing'))?.notes).toBeNull();

    const ok = await batch([{ externalId: 'CH-1', name: 'Via channel', viaChannelId: channel.id }]);
    expect(ok.body.results[0].outcome).toBe('created');
    expect(await byExternalId('CH-1')).toEqual(
      expect.objectContaining({ direct: false, viaChannelId: channel.id }),
    );
  });

  test('a row that only repeats its values keeps working after its channel is deleted', async () => {
    const channel = await createCustomer(t, { name: 'Closing Channel', category: 'channel' });
    await batch([{ externalId: 'CH-LATE', name: 'Late', viaChannelId: channel.id }]).expect(200);
    await t.admin().delete(`/v1/customers/${channel.id}`).expect(204);
    const res = await batch([{ externalId: 'CH-LATE', name: 'Late', region: 'north' }]);
    expect(res.status).toBe(200);
    expect(res.body.results[0].outcome).toBe('updated');
  });
});

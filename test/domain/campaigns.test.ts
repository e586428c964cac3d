import {
  attributeOrders,
  campaignFigures,
  controlGroupSize,
  frozenChanges,
  holdOut,
  returnOnInvestment,
  type AttributionTouch,
} from '../../src/domain/campaigns';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1);
const touch = (over: Partial<AttributionTouch>): AttributionTouch => ({
  id: 't',
  campaignId: 'A',
  customerId: 'c',
  at: T0,
  wave: 1,
  launchedAt: T0,
  windowDays: 30,
  ...over,
});

describe('control group', () => {
  test('exactly round(share x n), the same for the same seed whatever the order', () => {
    const ids = Array.from({ length: 20 }, (_, i) => `id-${i}`);
    expect(controlGroupSize(0.1, 20)).toBe(2);
    expect(controlGroupSize(0.15, 10)).toBe(2); // 1.4999... in floating point
    expect(controlGroupSize(0.2, 6)).toBe(1);
    expect(controlGroupSize(0, 6)).toBe(0);
    const a = holdOut(ids, 0.25, 'seed');
    expect(a.size).toBe(5);
    expect(holdOut([...ids].reverse(), 0.25, 'seed')).toEqual(a);
    expect(holdOut(ids, 0.25, 'other')).not.toEqual(a);
    expect(holdOut([], 0.5, 'seed').size).toBe(0);
  });
});

describe('attribution', () => {
  test('the last touch that reaches the order wins, across campaigns', () => {
    const a = touch({ id: 'a', campaignId: 'A', at: T0 });
    const b = touch({ id: 'b', campaignId: 'B', at: T0 + 5 * DAY, launchedAt: T0 + 4 * DAY, windowDays: 10 });
    const order = { id: 'o', customerId: 'c', orderedAt: T0 + 7 * DAY };
    expect(attributeOrders([order], [a, b]).get('o')?.id).toBe('b');
    // B's window has run out at day 16: A's 30 days still reach the order.
    const late = { id: 'late', customerId: 'c', orderedAt: T0 + 16 * DAY };
    expect(attributeOrders([late], [a, b]).get('late')?.id).toBe('a');
    // Past every window: nobody's.
    expect(attributeOrders([{ id: 'x', customerId: 'c', orderedAt: T0 + 31 * DAY }], [a, b]).size).toBe(0);
  });

  test('window bounds are inclusive; touches before their launch and other customers never count', () => {
    const a = touch({ id: 'a' });
    expect(attributeOrders([{ id: 'o', customerId: 'c', orderedAt: T0 }], [a]).get('o')?.id).toBe('a');
    expect(attributeOrders([{ id: 'o', customerId: 'c', orderedAt: T0 + 30 * DAY }], [a]).get('o')?.id).toBe(
      'a',
    );
    expect(attributeOrders([{ id: 'o', customerId: 'c', orderedAt: T0 - 1 }], [a]).size).toBe(0);
    const early = touch({ id: 'e', at: T0 - DAY });
    expect(attributeOrders([{ id: 'o', customerId: 'c', orderedAt: T0 + DAY }], [early]).size).toBe(0);
    expect(attributeOrders([{ id: 'o', customerId: 'd', orderedAt: T0 + DAY }], [a]).size).toBe(0);
  });

  test('equal times: the later-launched campaign, whatever the input order', () => {
    const a = touch({ id: 'a', campaignId: 'A', at: T0 + DAY, launchedAt: T0 });
    const b = touch({ id: 'b', campaignId: 'B', at: T0 + DAY, launchedAt: T0 + DAY });
    const order = { id: 'o', customerId: 'c', orderedAt: T0 + 2 * DAY };
    expect(attributeOrders([order], [a, b]).get('o')?.id).toBe('b');
    expect(attributeOrders([order], [b, a]).get('o')?.id).toBe('b');
  });
});

describe('figures', () => {
  test('ROI is (revenue - cost) / cost, null for no cost', () => {
    expect(returnOnInvestment(7_000_000n, 4_000_000n)).toBe(0.75);
    expect(returnOnInvestment(0n, 4_000_000n)).toBe(-1);
    expect(returnOnInvestment(100n, 0n)).toBeNull();
  });

  test('reach, response, waves and uplift', () => {
    const f = campaignFigures({
      launchedAt: T0,
      cost: 1_000_000n, // 100.00
      recipients: [
        { customerId: 'r1', control: false },
        { customerId: 'r2', control: false },
        { customerId: 'r3', control: false },
        { customerId: 'k1', control: true },
        { customerId: 'k2', control: true },
      ],
      touches: [
        { customerId: 'r1', kind: 'delivered', at: T0, wave: 1 },
        { customerId: 'r1', kind: 'responded', at: T0 + DAY, wave: 1 },
        { customerId: 'r2', kind: 'opened', at: T0 + DAY, wave: 2 },
        { customerId: 'r3', kind: 'converted', at: T0 - DAY, wave: 1 }, // before launch
      ],
      attributed: [{ customerId: 'r1', amount: 3_000_000n, wave: 1 }],
      windowOrders: [
        { customerId: 'r1', amount: 3_000_000n },
        { customerId: 'r3', amount: 1_000_000n },
        { customerId: 'k1', amount: 1_000_000n },
      ],
      churnedAtLaunch: new Set(['r3', 'k1']),
    });
    expect(f).toEqual(
      expect.objectContaining({
        recipients: 3,
        controlGroup: 2,
        reached: 2,
        responded: 1,
        converted: 1,
        revenue: '300.00',
        cost: '100.00',
        roi: 2,
        wonBack: 1,
        waves: [
          { wave: 1, reached: 1, responded: 1, converted: 1, revenue: '300.00' },
          { wave: 2, reached: 1, responded: 0, converted: 0, revenue: '0.00' },
        ],
      }),
    );
    // Recipients: 2 of 3 bought, 400 / 3 = 133.3333; control: 1 of 2, 100 / 2 = 50.
    expect(f.uplift.recipients).toEqual({
      customers: 3,
      buyers: 2,
      conversionRate: 0.666667,
      revenue: '400.00',
      revenuePerCustomer: '133.3333',
    });
    expect(f.uplift.conversionRate).toEqual({ difference: 0.166667, ratio: 0.333333 });
    // 400/3 - 50 = 83.3333...; over 50: 1.666667.
    expect(f.uplift.revenuePerCustomer).toEqual({ difference: '83.3333', ratio: 1.666667 });
  });
});

test('a launched campaign keeps its segment, window and control group', () => {
  const base = { segmentId: 's', attributionWindowDays: 30, controlGroupShare: 0.1, controlGroupSeed: 'x' };
  expect(frozenChanges(base, { ...base })).toEqual([]);
  expect(frozenChanges(base, { ...base, attributionWindowDays: 10, controlGroupSeed: 'y' })).toEqual([
    'attributionWindowDays',
    'controlGroupSeed',
  ]);
});

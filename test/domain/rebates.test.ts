import { fromUnits, toUnits } from '../../src/domain/money';
import {
  accrueChannel,
  isOutsideRegions,
  isPeriodClosed,
  normalizeTiers,
  parsePeriod,
  rateText,
  rateUnits,
  rebateFor,
  regionsOfChannel,
  tierProblems,
  type RebateMode,
} from '../../src/domain/rebates';

const TIERS = [
  { from: '100000.00', rate: '0.02' },
  { from: '250000.00', rate: '0.03' },
  { from: '500000.00', rate: '0.05' },
];

const rebate = (net: string, mode: RebateMode, tiers = TIERS) => {
  const r = rebateFor(toUnits(net), tiers, mode);
  return {
    tier: r.tierIndex,
    rate: rateText(r.rate),
    rebate: fromUnits(r.rebate),
    next: r.nextTierIndex,
    gap: r.gap === null ? null : fromUnits(r.gap),
  };
};

describe('whole mode: the reached tier rate on the whole amount', () => {
  test.each([
    ['0.00', null, '0', '0.00', 0, '100000.00'],
    ['99999.99', null, '0', '0.00', 0, '0.01'],
    ['100000.00', 0, '0.02', '2000.00', 1, '150000.00'],
    ['100000.01', 0, '0.02', '2000.00', 1, '149999.99'],
    ['249999.99', 0, '0.02', '5000.00', 1, '0.01'],
    ['250000.00', 1, '0.03', '7500.00', 2, '250000.00'],
    ['499999.99', 1, '0.03', '15000.00', 2, '0.01'],
    ['500000.00', 2, '0.05', '25000.00', null, null],
    ['1234567.89', 2, '0.05', '61728.39', null, null],
  ])('%s', (net, tier, rate, amount, next, gap) => {
    expect(rebate(net, 'whole')).toEqual({ tier, rate, rebate: amount, next, gap });
  });

  test('rounds half up to the cent once, on the exact product', () => {
    // 100000.25 x 0.02 = 2000.005 -> 2000.01; 100000.24 x 0.02 = 2000.0048 -> 2000.00
    expect(rebate('100000.25', 'whole').rebate).toBe('2000.01');
    expect(rebate('100000.24', 'whole').rebate).toBe('2000.00');
    // 4 decimals of a converted amount: 100000.1249 x 0.02 = 2000.002498 -> 2000.00
    expect(rebate('100000.1249', 'whole').rebate).toBe('2000.00');
  });
});

describe('marginal mode: each band at its own rate', () => {
  test.each([
    ['99999.99', null, '0.00'],
    ['100000.00', 0, '0.00'],
    ['100000.01', 0, '0.00'], // 0.01 x 0.02 = 0.0002 -> 0.00
    ['100000.25', 0, '0.01'], // 0.25 x 0.02 = 0.005 -> 0.01 (half up)
    ['249999.99', 0, '3000.00'], // 149999.99 x 0.02 = 2999.9998
    ['250000.00', 1, '3000.00'],
    ['250000.50', 1, '3000.02'], // 3000 + 0.015 -> 3000.015 -> 3000.02
    ['499999.99', 1, '10500.00'], // 3000 + 249999.99 x 0.03 = 10499.9997
    ['500000.00', 2, '10500.00'],
    ['600000.00', 2, '15500.00'], // 10500 + 100000 x 0.05
  ])('%s', (net, tier, amount) => {
    const r = rebate(net, 'marginal');
    expect(r.tier).toBe(tier);
    expect(r.rebate).toBe(amount);
  });

  test('a first tier from zero rebates from the first cent', () => {
    const tiers = [
      { from: '0', rate: '0.01' },
      { from: '1000', rate: '0.02' },
    ];
    expect(rebate('1500.00', 'marginal', tiers).rebate).toBe('20.00');
    expect(rebate('1500.00', 'whole', tiers).rebate).toBe('30.00');
    expect(rebate('0.00', 'whole', tiers)).toMatchObject({ tier: 0, rebate: '0.00', next: 1 });
  });

  test('a negative net earns nothing', () => {
    const tiers = [{ from: '0', rate: '0.05' }];
    expect(rebate('-10.00', 'marginal', tiers)).toMatchObject({ tier: null, rebate: '0.00', gap: '10.00' });
  });
});

describe('tier tables', () => {
  test('from must increase strictly; rates must not fall', () => {
    expect(tierProblems(TIERS)).toEqual([]);
    expect(tierProblems([{ from: '100', rate: '0.01' }])).toEqual([]);
    expect(
      tierProblems([
        { from: '100', rate: '0.02' },
        { from: '100.00', rate: '0.03' },
        { from: '50', rate: '0.01' },
      ]).map((p) => [p.index, p.field, p.code]),
    ).toEqual([
      [1, 'from', 'tiers_not_increasing'],
      [2, 'from', 'tiers_not_increasing'],
      [2, 'rate', 'tier_rates_decreasing'],
    ]);
    expect(
      tierProblems([
        { from: '1', rate: '0.02' },
        { from: '2', rate: '0.02' },
      ]),
    ).toEqual([]);
  });

  test('canonical text', () => {
    expect(normalizeTiers([{ from: '100000', rate: '0.0200' }])).toEqual([
      { from: '100000.00', rate: '0.02' },
    ]);
    expect(rateUnits('0.025')).toBe(25_000n);
    expect(rateText(0n)).toBe('0');
    expect(rateText(1_000_000n)).toBe('1');
  });
});

describe('periods', () => {
  test('years and quarters', () => {
    expect(parsePeriod('2026')).toEqual({
      period: '2026',
      kind: 'year',
      start: '2026-01-01',
      end: '2026-12-31',
      endExclusive: '2027-01-01T00:00:00.000Z',
    });
    expect(parsePeriod('2026-Q3')).toMatchObject({ kind: 'quarter', start: '2026-07-01', end: '2026-09-30' });
    expect(parsePeriod('2026-Q4')).toMatchObject({
      end: '2026-12-31',
      endExclusive: '2027-01-01T00:00:00.000Z',
    });
    expect(parsePeriod('2024-Q1')).toMatchObject({ end: '2024-03-31' });
    expect(parsePeriod('2026-Q5')).toBeUndefined();
    expect(parsePeriod('26')).toBeUndefined();
  });

  test('closed once the last day is before today', () => {
    const q3 = parsePeriod('2026-Q3')!;
    expect(isPeriodClosed(q3, new Date('2026-09-30T23:59:59Z'))).toBe(false);
    expect(isPeriodClosed(q3, new Date('2026-10-01T00:00:00Z'))).toBe(true);
  });
});

describe('regions and accrual', () => {
  test('assigned regions, else the own region, else nothing is cross-region', () => {
    expect(regionsOfChannel(['east'], 'west')).toEqual(['east']);
    expect(regionsOfChannel([], 'west')).toEqual(['west']);
    expect(isOutsideRegions(regionsOfChannel([], null), 'north')).toBe(false);
    expect(isOutsideRegions(['east'], null)).toBe(false);
    expect(isOutsideRegions(['east'], 'north')).toBe(true);
  });

  test('own, indirect and cross-region sums', () => {
    const sums = [
      { channelId: 'c', own: true, region: 'east', amount: toUnits('80000') },
      { channelId: 'c', own: false, region: 'east', amount: toUnits('20000') },
      { channelId: 'c', own: true, region: 'north', amount: toUnits('5000') },
      { channelId: 'd', own: true, region: 'east', amount: toUnits('1') },
    ];
    const channel = { id: 'c', region: null, assignedRegions: ['east'] };
    const all = accrueChannel(channel, sums, {
      tiers: TIERS,
      mode: 'whole',
      creditIndirect: true,
      excludeCrossRegion: true,
    });
    expect([all.own, all.indirect, all.crossRegionExcluded, all.net].map(fromUnits)).toEqual([
      '80000.00',
      '20000.00',
      '5000.00',
      '100000.00',
    ]);
    expect(fromUnits(all.rebate)).toBe('2000.00');
    const ownOnly = accrueChannel(channel, sums, {
      tiers: TIERS,
      mode: 'whole',
      creditIndirect: false,
      excludeCrossRegion: false,
    });
    expect(fromUnits(ownOnly.net)).toBe('85000.00');
    expect(ownOnly.tierIndex).toBeNull();
  });
});

import { quintileScores, rfmScores, rfmSegment } from '../../src/domain/value';

describe('RFM', () => {
  it('quintile scores of distinct values are 1..5 in equal fifths', () => {
    expect(quintileScores([50, 10, 40, 20, 30, 60, 70, 80, 90, 100])).toEqual([3, 1, 2, 1, 2, 3, 4, 4, 5, 5]);
  });

  it('ties share the score of their mid-rank', () => {
    // six of ten tied at the bottom: mid-rank 3.5 -> 1 + floor(5 x 3 / 10) = 2
    expect(quintileScores([0, 0, 0, 0, 0, 0, 1, 2, 3, 4])).toEqual([2, 2, 2, 2, 2, 2, 4, 4, 5, 5]);
    expect(quintileScores([7, 7, 7])).toEqual([3, 3, 3]);
    expect(quintileScores([7])).toEqual([3]);
    expect(quintileScores([])).toEqual([]);
  });

  it('scores recency inversely (5 = most recent) and builds the code', () => {
    const customers = Array.from({ length: 5 }, (_, i) => ({
      id: `c${i}`,
      sinceLastPurchase: i * 10,
      purchases: 5 - i,
      totalAmount: 100 * (i + 1),
    }));
    const scores = rfmScores(customers);
    expect(scores.map((s) => s.code)).toEqual(['551', '442', '333', '224', '115']);
    expect(scores.map((s) => s.segment)).toEqual([
      'champions',
      'loyal',
      'need_attention',
      'hibernating',
      'lost',
    ]);
  });

  it('maps the R/F grid to the eleven named segments', () => {
    expect(rfmSegment(5, 5)).toBe('champions');
    expect(rfmSegment(5, 4)).toBe('champions');
    expect(rfmSegment(4, 5)).toBe('loyal');
    expect(rfmSegment(3, 4)).toBe('loyal');
    expect(rfmSegment(5, 2)).toBe('potential_loyalist');
    expect(rfmSegment(4, 3)).toBe('potential_loyalist');
    expect(rfmSegment(5, 1)).toBe('new');
    expect(rfmSegment(4, 1)).toBe('promising');
    expect(rfmSegment(3, 3)).toBe('need_attention');
    expect(rfmSegment(3, 2)).toBe('about_to_sleep');
    expect(rfmSegment(2, 4)).toBe('at_risk');
    expect(rfmSegment(1, 5)).toBe('cannot_lose');
    expect(rfmSegment(2, 1)).toBe('hibernating');
    expect(rfmSegment(1, 2)).toBe('hibernating');
    expect(rfmSegment(1, 1)).toBe('lost');
  });

  it('every grid cell gets a segment and all eleven names occur', () => {
    const names = new Set<string>();
    for (const r of [1, 2, 3, 4, 5] as const)
      for (const f of [1, 2, 3, 4, 5] as const) names.add(rfmSegment(r, f));
    expect(names.size).toBe(11);
  });

  it('identical customers score 333 (no information either way)', () => {
    const same = Array.from({ length: 4 }, (_, i) => ({
      id: `${i}`,
      sinceLastPurchase: 3,
      purchases: 2,
      totalAmount: 9,
    }));
    expect(rfmScores(same).map((s) => s.code)).toEqual(['333', '333', '333', '333']);
  });
});

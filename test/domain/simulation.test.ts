import { sampleBeta, sampleGamma, seededRandom, simulateBtydCustomers } from '../../src/domain/simulation';
import { summarisePurchases, ValueDomainError } from '../../src/domain/value';

const options = {
  seed: 42,
  customers: 300,
  bgnbd: { r: 0.75, alpha: 6, a: 0.8, b: 3 },
  gammaGamma: { p: 6, q: 4, v: 15 },
  timeUnit: 'week' as const,
  start: '2024-01-01',
  acquisitionDays: 84,
  observationDays: 546,
};

describe('seededRandom', () => {
  it('is reproducible, seed-dependent and strictly inside (0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(c.next()).not.toBe(xs[0]);
    expect(xs.every((x) => x > 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.46);
    expect(mean).toBeLessThan(0.54);
  });
});

describe('random distributions', () => {
  it('gamma and beta draws have the right means', () => {
    const random = seededRandom(1);
    const n = 20000;
    let g = 0;
    let small = 0;
    let beta = 0;
    for (let i = 0; i < n; i++) {
      g += sampleGamma(random, 3, 2);
      small += sampleGamma(random, 0.25, 1);
      beta += sampleBeta(random, 0.3, 0.9);
    }
    expect(g / n).toBeCloseTo(1.5, 1);
    expect(small / n).toBeCloseTo(0.25, 1);
    expect(beta / n).toBeCloseTo(0.25, 1);
  });
});

describe('simulateBtydCustomers', () => {
  it('is deterministic for a seed', () => {
    expect(simulateBtydCustomers(options)).toEqual(simulateBtydCustomers(options));
    expect(simulateBtydCustomers({ ...options, seed: 43 })).not.toEqual(simulateBtydCustomers(options));
  });

  it('produces ordered transactions inside the observation window, first purchase at time 0', () => {
    const customers = simulateBtydCustomers(options);
    expect(customers).toHaveLength(300);
    expect(customers[0]!.id).toBe('sim-001');
    const end = Date.parse('2024-01-01') + 546 * 86400000;
    for (const c of customers) {
      expect(c.purchaseTimes[0]).toBe(0);
      expect(c.transactions).toHaveLength(c.purchaseTimes.length);
      const times = c.transactions.map((t) => Date.parse(t.orderedAt));
      expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
      expect(times[times.length - 1]!).toBeLessThan(end);
      expect(times[0]!).toBeLessThan(Date.parse('2024-01-01') + 84 * 86400000);
      expect(c.transactions.every((t) => t.amount >= 0 && Number.isFinite(t.amount))).toBe(true);
    }
  });

  it('feeds straight into the purchase summary', () => {
    const [c] = simulateBtydCustomers({ ...options, customers: 1 });
    const summary = summarisePurchases(c!.transactions, '2025-06-29', 'week');
    expect(summary).not.toBeNull();
    expect(summary!.T).toBeCloseTo(c!.observedFor, 0);
  });

  it('rejects bad parameters with invalid_input', () => {
    expect(() => simulateBtydCustomers({ ...options, bgnbd: { ...options.bgnbd, a: -1 } })).toThrow(
      ValueDomainError,
    );
    expect(() => simulateBtydCustomers({ ...options, observationDays: 10 })).toThrow(ValueDomainError);
  });
});

import {
  bgnbdLogLikelihood,
  bgnbdLogLikelihoodWithGradient,
  bgnbdTotalLogLikelihood,
  conditionalExpectedPurchases,
  expectedPurchasesNewCustomer,
  fitBgnbd,
  probabilityAlive,
  ValueDomainError,
  type BgnbdParams,
} from '../../src/domain/value';

// The published CDNOW fit (Fader, Hardie and Lee 2005). Reference values below were computed
// independently from the paper's equations with mpmath at 30 digits (no Euler transform, no
// log-space tricks), so they check both the formulas and their stable rewriting.
const cdnow: BgnbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('BG/NBD log-likelihood', () => {
  it.each([
    [0, 0, 38.86, -0.5547132764381585],
    [2, 30.43, 38.86, -9.45860630706627],
    [1, 1.71, 38.86, -4.469093275032589],
    [5, 20, 39, -16.826096376091165],
    [1000, 77, 78, 1493.3812375985347],
  ])('x=%d t_x=%d T=%d', (frequency, recency, T, expected) => {
    const ll = bgnbdLogLikelihood(cdnow, { frequency, recency, T });
    expect(ll).toBeCloseTo(expected, frequency === 1000 ? 8 : 12);
  });

  it('has an analytic gradient that matches central differences', () => {
    const customers = [
      { frequency: 0, recency: 0, T: 30 },
      { frequency: 3, recency: 10, T: 30 },
      { frequency: 80, recency: 29, T: 30 },
      { frequency: 1, recency: 0.5, T: 2 },
    ];
    const params = { r: 0.7, alpha: 3, a: 1.3, b: 0.9 };
    const { gradient } = bgnbdLogLikelihoodWithGradient(params, customers);
    (['r', 'alpha', 'a', 'b'] as const).forEach((name, i) => {
      const h = 1e-6 * params[name];
      const up = bgnbdTotalLogLikelihood({ ...params, [name]: params[name] + h }, customers);
      const down = bgnbdTotalLogLikelihood({ ...params, [name]: params[name] - h }, customers);
      expect(gradient[i]).toBeCloseTo((up - down) / (2 * h), 5);
    });
  });

  it('sums customers who share (x, t_x, T) or only T (one-time buyers) as the per-customer terms', () => {
    // The likelihood tabulates such customers into one weighted row; the sum must not change.
    const customers = [
      { frequency: 0, recency: 0, T: 30 },
      { frequency: 0, recency: 0, T: 30 },
      { frequency: 0, recency: 12, T: 30 },
      { frequency: 3, recency: 10, T: 30 },
      { frequency: 3, recency: 10, T: 30 },
      { frequency: 3, recency: 30, T: 10 + 20 },
      { frequency: 1, recency: 10, T: 12 },
      { frequency: 80, recency: 29, T: 30 },
      { frequency: 1000, recency: 77, T: 78 },
    ];
    const sum = customers.reduce((s, c) => s + bgnbdLogLikelihood(cdnow, c), 0);
    expect(bgnbdTotalLogLikelihood(cdnow, customers)).toBeCloseTo(sum, 9);
    const one = bgnbdLogLikelihoodWithGradient(cdnow, [customers[3]!]).gradient;
    const two = bgnbdLogLikelihoodWithGradient(cdnow, [customers[3]!, customers[4]!]).gradient;
    two.forEach((g, i) => expect(g).toBeCloseTo(2 * one[i]!, 12));
  });

  it('rejects malformed customers and parameters with invalid_input', () => {
    expect(() => bgnbdLogLikelihood(cdnow, { frequency: 1.5, recency: 1, T: 2 })).toThrow(ValueDomainError);
    expect(() => bgnbdLogLikelihood(cdnow, { frequency: 1, recency: 3, T: 2 })).toThrow(ValueDomainError);
    expect(() => bgnbdLogLikelihood({ ...cdnow, a: 0 }, { frequency: 1, recency: 1, T: 2 })).toThrow(
      ValueDomainError,
    );
  });
});

describe('BG/NBD predictions', () => {
  it('P(alive)', () => {
    expect(probabilityAlive(cdnow, { frequency: 2, recency: 30.43, T: 38.86 })).toBeCloseTo(
      0.726578570080673,
      13,
    );
    expect(probabilityAlive(cdnow, { frequency: 5, recency: 20, T: 39 })).toBeCloseTo(0.2837940897541614, 13);
    expect(probabilityAlive(cdnow, { frequency: 23, recency: 39, T: 39 })).toBeCloseTo(
      0.9685554542210238,
      13,
    );
    expect(probabilityAlive(cdnow, { frequency: 1000, recency: 77, T: 78 })).toBeCloseTo(
      0.006243624326061433,
      14,
    );
    expect(probabilityAlive(cdnow, { frequency: 0, recency: 0, T: 1000 })).toBe(1);
    expect(probabilityAlive(cdnow, { frequency: 1000, recency: 1, T: 1e6 })).toBe(0);
  });

  it('conditional expectation: CDNOW customer 1 (x=2, t_x=30.43, T=38.86) expects 1.226 in the next 39 weeks', () => {
    expect(conditionalExpectedPurchases(cdnow, { frequency: 2, recency: 30.43, T: 38.86 }, 39)).toBeCloseTo(
      1.2260281747671444,
      12,
    );
  });

  it('conditional expectation stays accurate for 1,000 purchases, long horizons and a near 1', () => {
    const heavy = { frequency: 1000, recency: 77, T: 78 };
    expect(conditionalExpectedPurchases(cdnow, heavy, 52)).toBeCloseTo(3.2160220871170604, 10);
    expect(conditionalExpectedPurchases(cdnow, { frequency: 0, recency: 0, T: 0 }, 1e6)).toBeCloseTo(
      53.54047825301458,
      8,
    );
    const c1 = { frequency: 2, recency: 30.43, T: 38.86 };
    // mpmath at a = 1 + 1e-12 and a = 1.00002
    expect(conditionalExpectedPurchases({ ...cdnow, a: 1 }, c1, 39)).toBeCloseTo(1.1021367860394096, 9);
    expect(conditionalExpectedPurchases({ ...cdnow, a: 1.00002 }, c1, 39)).toBeCloseTo(1.1021258615226446, 9);
    expect(conditionalExpectedPurchases(cdnow, c1, 0)).toBe(0);
  });

  it('unconditional expectation E[X(t)] for a new customer', () => {
    expect(expectedPurchasesNewCustomer(cdnow, 39)).toBeCloseTo(1.196723193320817, 12);
    expect(expectedPurchasesNewCustomer(cdnow, 78)).toBeCloseTo(1.8605190579427684, 12);
    expect(expectedPurchasesNewCustomer({ ...cdnow, alpha: 0.01 }, 365)).toBeCloseTo(33.65016727890805, 9);
  });

  it('holds where a + b < 1 and at a + b = 1 exactly (checked against the integral over p)', () => {
    // mpmath: P(alive) E_{p ~ Beta(a, b+x)}[(1 - ((alpha+T)/(alpha+T+p t))^(r+x)) / p] by quadrature,
    // an independent representation of equation 10 (it also gives 1.2260281747671442 above).
    const p = { r: 0.5, alpha: 3, a: 0.3, b: 0.5 };
    expect(expectedPurchasesNewCustomer(p, 10)).toBeCloseTo(1.0828778183049053, 9);
    expect(conditionalExpectedPurchases(p, { frequency: 1, recency: 2, T: 5 }, 100)).toBeCloseTo(
      4.539860644571088,
      9,
    );
    expect(expectedPurchasesNewCustomer({ r: 0.5, alpha: 3, a: 0.4, b: 0.6 }, 10)).toBeCloseTo(
      1.0324029878672742,
      6,
    );
  });

  it('is increasing in t and never negative', () => {
    const c = { frequency: 4, recency: 12, T: 20 };
    let previous = 0;
    for (const t of [0.1, 1, 5, 20, 100, 1000]) {
      const e = conditionalExpectedPurchases(cdnow, c, t);
      expect(e).toBeGreaterThan(previous);
      previous = e;
    }
  });
});

describe('fitBgnbd on degenerate bases', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e instanceof ValueDomainError ? e.code : 'other';
    }
    return 'none';
  };

  it('a single customer: insufficient_data', () => {
    expect(code(() => fitBgnbd([{ frequency: 3, recency: 10, T: 20 }]))).toBe('insufficient_data');
  });

  it('no repeat buyers (all one-time buyers): insufficient_data', () => {
    const base = Array.from({ length: 50 }, (_, i) => ({ frequency: 0, recency: 0, T: 10 + i }));
    expect(code(() => fitBgnbd(base))).toBe('insufficient_data');
  });

  it('identical customers: no interior maximum, fit_failed', () => {
    const base = Array.from({ length: 200 }, () => ({ frequency: 3, recency: 15, T: 20 }));
    expect(code(() => fitBgnbd(base))).toBe('fit_failed');
  });

  it('a base with one 1,000-purchase customer still fits to finite values', () => {
    const base = [
      ...Array.from({ length: 100 }, (_, i) => ({
        frequency: i % 4,
        recency: i % 4 === 0 ? 0 : 5 + (i % 30),
        T: 40,
      })),
      { frequency: 1000, recency: 39.9, T: 40 },
    ];
    const fit = fitBgnbd(base);
    expect(Object.values(fit.params).every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
  });
});

import { seededRandom, simulateBtydCustomers, type RandomSource } from '../../src/domain/simulation';
import {
  EXCLUDED_ORDER_STATUSES,
  PurchaseSummaryTable,
  baseMedianCycle,
  clvScorer,
  discountedValue,
  fitBgnbd,
  fitGammaGamma,
  fitModels,
  historicalValue,
  PurchaseDayBuffer,
  paretoFigures,
  paretoShare,
  probabilisticClv,
  probabilisticClvs,
  probabilityAlive,
  purchaseDays,
  quintileScores,
  rfmQuintiles,
  summarisePurchases,
  toEpochDay,
  valuationBasis,
  valueCustomer,
  valueClassThresholds,
  valueCustomers,
  ValueDomainError,
  type ChurnStatus,
  type ClvHorizon,
  type CustomerFacts,
  type CustomerValuation,
  type FittedModels,
  type OrderInput,
  type PurchaseDay,
  type PurchaseSummary,
  type RepeatHistory,
  type ValuationParameters,
} from '../../src/domain/value';

const MS_PER_DAY = 86_400_000;

/** An integer in [0, n). */
const below = (random: RandomSource, n: number) => Math.floor(random.next() * n);

/** A seeded Fisher-Yates shuffle (a copy). */
function shuffled<T>(items: readonly T[], random: RandomSource): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = below(random, i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** `items` cut into consecutive batches of random sizes (1..maxSize). */
function batches<T>(items: readonly T[], random: RandomSource, maxSize: number): T[][] {
  const result: T[][] = [];
  for (let at = 0; at < items.length;) {
    const size = 1 + below(random, maxSize);
    result.push(items.slice(at, at + size));
    at += size;
  }
  return result;
}

const simulation = {
  seed: 20261123,
  customers: 400,
  bgnbd: { r: 0.75, alpha: 6, a: 0.8, b: 3 },
  gammaGamma: { p: 6, q: 4, v: 15 },
  timeUnit: 'week' as const,
  start: '2024-01-01',
  acquisitionDays: 84,
  observationDays: 546,
};
/** Before the end of the simulation: the orders after it are left out. */
const AS_OF = '2025-03-31';

/** A fresh buffer fed the pairs in order: its purchase-days, copied out. */
function mergeSameDays(days: readonly number[], amounts: readonly number[]): PurchaseDay[] {
  const buffer = new PurchaseDayBuffer();
  days.forEach((day, k) => buffer.add(day, amounts[k] as number));
  return buffer.days().map((d) => ({ ...d }));
}

/** The rule written out independently: sum per day in arrival order, then sort by day. */
function referenceDays(days: readonly number[], amounts: readonly number[]): PurchaseDay[] {
  const byDay = new Map<number, number>();
  days.forEach((day, k) => byDay.set(day, (byDay.get(day) ?? 0) + (amounts[k] as number)));
  return [...byDay].sort((x, y) => x[0] - y[0]).map(([day, amount]) => ({ day, amount }));
}

describe('PurchaseDayBuffer', () => {
  it('starts afresh after reset, reusing its storage', () => {
    const buffer = new PurchaseDayBuffer();
    [5, 5, 9].forEach((day, k) => buffer.add(day, k + 1));
    expect(buffer.days()).toEqual([
      { day: 5, amount: 3 },
      { day: 9, amount: 3 },
    ]);
    buffer.reset();
    [8, 2, 8].forEach((day) => buffer.add(day, 1));
    expect(buffer.days()).toEqual([
      { day: 2, amount: 1 },
      { day: 8, amount: 2 },
    ]);
    buffer.reset();
    expect(buffer.days()).toEqual([]);
  });

  it('sums the amounts of one day and keeps days oldest first', () => {
    expect(mergeSameDays([10, 10, 12, 15, 15, 15], [1, 2, 3, 4, 5, 6])).toEqual([
      { day: 10, amount: 3 },
      { day: 12, amount: 3 },
      { day: 15, amount: 15 },
    ]);
  });

  it('sorts unsorted input, keeping each amount with its day', () => {
    expect(mergeSameDays([30, 10, 20, 10, 30], [1, 2, 4, 8, 16])).toEqual([
      { day: 10, amount: 10 },
      { day: 20, amount: 4 },
      { day: 30, amount: 17 },
    ]);
    expect(mergeSameDays([-5, -7], [1.5, 2.5])).toEqual([
      { day: -7, amount: 2.5 },
      { day: -5, amount: 1.5 },
    ]);
  });

  it('gives no purchase-days for no purchases', () => {
    expect(mergeSameDays([], [])).toEqual([]);
  });

  it('refuses a non-integer day or a non-finite amount', () => {
    for (const [days, amounts] of [
      [[1.5], [10]],
      [[NaN], [10]],
      [
        [1, 2],
        [10, NaN],
      ],
      [
        [2, 1],
        [Infinity, 1],
      ],
      [[1], [undefined as unknown as number]],
    ] as Array<[number[], number[]]>) {
      expect(() => mergeSameDays(days, amounts)).toThrow(ValueDomainError);
    }
  });

  it('agrees with purchaseDays on random orders once they are filtered and reduced to days', () => {
    const random = seededRandom(11);
    const statuses = [undefined, null, 'shipped', 'paid', 'cancelled', 'Returned', 'CANCELED'];
    const firstDay = toEpochDay('2025-01-01');
    for (let trial = 0; trial < 200; trial++) {
      const orders: OrderInput[] = Array.from({ length: below(random, 40) }, () => ({
        orderedAt: new Date((firstDay + random.next() * 60) * MS_PER_DAY).toISOString(),
        amount: below(random, 100_000) / 100,
        status: statuses[below(random, statuses.length)],
      }));
      const asOf = firstDay + 45;
      // The filter purchaseDays applies, done here as the database query does it for mergeSameDays.
      const counted = orders.filter(
        (o) =>
          !(o.status && EXCLUDED_ORDER_STATUSES.has(o.status.toLowerCase())) &&
          Math.floor(Date.parse(o.orderedAt as string) / MS_PER_DAY) <= asOf,
      );
      const days = counted.map((o) => Math.floor(Date.parse(o.orderedAt as string) / MS_PER_DAY));
      const amounts = counted.map((o) => o.amount);
      expect(mergeSameDays(days, amounts)).toEqual(referenceDays(days, amounts));
      expect(purchaseDays(orders, asOf)).toEqual(referenceDays(days, amounts));
      // Sorted input takes the path without a sort; it must agree as well.
      const sorted = counted
        .map((o, k) => ({ day: days[k] as number, amount: o.amount, k }))
        .sort((x, y) => x.day - y.day || x.k - y.k);
      expect(
        mergeSameDays(
          sorted.map((o) => o.day),
          sorted.map((o) => o.amount),
        ),
      ).toEqual(referenceDays(days, amounts));
    }
  });
});

describe('clvScorer fed in batches', () => {
  const bgnbd = { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 };
  const horizon: ClvHorizon = {
    bgnbd,
    timeUnit: 'week',
    horizonMonths: 12,
    annualDiscountRate: 0.1,
    margin: 1,
  };

  /** Simulated customers, plus hand-made ones sharing (x, T) across the batches. */
  function customersAndSpends(): { customers: RepeatHistory[]; spends: number[] } {
    const summaries = simulateBtydCustomers(simulation)
      .map((c) => summarisePurchases(c.transactions, AS_OF, 'week'))
      .filter((s): s is PurchaseSummary => s !== null);
    const random = seededRandom(5);
    const customers: RepeatHistory[] = [...summaries];
    for (let i = 0; i < 100; i++) {
      const x = below(random, 4);
      const T = [10, 20, 38.86][below(random, 3)] as number;
      customers.push({ frequency: x, recency: x === 0 ? 0 : random.next() * T, T });
    }
    customers.push({ frequency: 0, recency: 0, T: 0 }, { frequency: 1000, recency: 77.9, T: 78 });
    const ordered = shuffled(customers, random);
    return { customers: ordered, spends: ordered.map(() => random.next() * 100) };
  }

  it('gives bit for bit what probabilisticClvs gives for the same customers, in any batches', () => {
    const { customers, spends } = customersAndSpends();
    const expected = probabilisticClvs(customers, spends, horizon);
    const indices = customers.map((_, i) => i);
    for (const seed of [1, 2, 3]) {
      const random = seededRandom(seed);
      const score = clvScorer(horizon);
      const results = new Array(customers.length);
      // Batches in shuffled order, so the cache fills in a different order every time.
      for (const batch of shuffled(batches(indices, random, 60), random)) {
        for (const i of batch) results[i] = score(customers[i] as RepeatHistory, spends[i] as number);
      }
      expect(results).toEqual(expected);
    }
  });

  it('gives bit for bit the one-at-a-time P(alive) and potential value', () => {
    const { customers, spends } = customersAndSpends();
    const score = clvScorer(horizon);
    for (const batch of batches(
      customers.map((_, i) => i),
      seededRandom(9),
      40,
    )) {
      for (const i of batch) {
        const customer = customers[i] as RepeatHistory;
        const expectedSpend = spends[i] as number;
        expect(score(customer, expectedSpend)).toEqual({
          pAlive: probabilityAlive(bgnbd, customer),
          ...probabilisticClv({ ...horizon, customer, expectedSpend }),
        });
      }
    }
  });

  it('with a zero horizon gives P(alive) and no value', () => {
    const score = clvScorer({ ...horizon, horizonMonths: 0 });
    const customer = { frequency: 2, recency: 30.43, T: 38.86 };
    expect(score(customer, 10)).toEqual({
      pAlive: probabilityAlive(bgnbd, customer),
      value: 0,
      expectedPurchases: 0,
    });
  });

  it('refuses a bad horizon at once and a bad customer or spend per call', () => {
    expect(() => clvScorer({ ...horizon, horizonMonths: 1.5 })).toThrow(ValueDomainError);
    expect(() => clvScorer({ ...horizon, bgnbd: { ...bgnbd, r: -1 } })).toThrow(ValueDomainError);
    const score = clvScorer(horizon);
    expect(() => score({ frequency: 1, recency: 3, T: 2 }, 10)).toThrow(ValueDomainError);
    expect(() => score({ frequency: 1, recency: 1, T: 2 }, NaN)).toThrow(ValueDomainError);
    expect(() => score({ frequency: 1, recency: 1, T: 2 }, -1)).toThrow(ValueDomainError);
  });
});

describe('valuationBasis and valueCustomer', () => {
  const parameters: ValuationParameters = {
    timeUnit: 'week',
    horizonMonths: 12,
    annualDiscountRate: 0.1,
    margin: 0.3,
  };
  const statuses: Array<ChurnStatus | null> = [null, 'active', 'at_risk', 'churned', 'won_back'];

  function customerFacts(): CustomerFacts[] {
    const random = seededRandom(17);
    const facts: CustomerFacts[] = [];
    for (const customer of simulateBtydCustomers(simulation)) {
      const summary = summarisePurchases(customer.transactions, AS_OF, 'week');
      if (!summary) continue;
      const previousStatus = statuses[below(random, statuses.length)] as ChurnStatus | null;
      facts.push({
        id: customer.id,
        summary,
        history: historicalValue(purchaseDays(customer.transactions, AS_OF), {
          asOf: AS_OF,
          annualDiscountRate: parameters.annualDiscountRate,
          margin: parameters.margin,
        }),
        previousStatus,
        purchasedSincePrevious: random.next() < 0.3,
        manualChurn: previousStatus === 'churned' && random.next() < 0.5,
      });
    }
    return facts;
  }

  function tableOf(facts: readonly CustomerFacts[], params: ValuationParameters): PurchaseSummaryTable {
    const table = new PurchaseSummaryTable(params.timeUnit);
    facts.forEach((f) => table.push(f.summary));
    return table;
  }

  it('keeps every summary column by column and gives it back whole', () => {
    const facts = customerFacts();
    const summaries = facts.map((f) => f.summary);
    const table = tableOf(facts, parameters);
    expect(table.length).toBe(summaries.length);
    expect(summaries.some((s) => s.averageCycle === null)).toBe(true);
    summaries.forEach((s, i) => expect(table.at(i)).toEqual(s));
    expect(Array.from(table.eachHistory(), (h) => ({ ...h }))).toEqual(
      summaries.map((s) => ({
        frequency: s.frequency,
        recency: s.recency,
        T: s.T,
        repeatAverageAmount: s.repeatAverageAmount,
      })),
    );
    expect(() => table.at(summaries.length)).toThrow(RangeError);
    // A table that outgrows its first size keeps every value.
    const small = new PurchaseSummaryTable(parameters.timeUnit, 1);
    summaries.forEach((s) => small.push(s));
    summaries.forEach((s, i) => expect(small.at(i)).toEqual(s));
    expect(small.column('totalAmount')).toEqual(Float64Array.from(summaries.map((s) => s.totalAmount)));
    expect(() => new PurchaseSummaryTable('day').push(summaries[0]!)).toThrow(RangeError);
  });

  it('fits the models from the columns, one reused object at a time, as from the summaries', () => {
    const facts = customerFacts();
    const summaries = facts.map((f) => f.summary);
    const table = tableOf(facts, parameters);
    const histories = [...table.eachHistory()];
    // One object, refilled: nothing may keep it.
    expect(new Set(histories).size).toBe(1);
    expect(fitBgnbd(table.eachHistory())).toEqual(fitBgnbd(summaries));
    expect(fitGammaGamma(table.eachHistory())).toEqual(
      fitGammaGamma(summaries.filter((s) => s.frequency > 0)),
    );
  });

  it('makes the base-wide figures from the columns as the per-customer functions do', () => {
    const facts = customerFacts();
    const summaries = facts.map((f) => f.summary);
    const models = fitModels(summaries);
    const basis = valuationBasis(tableOf(facts, parameters), models, parameters);
    expect(basis.thresholds).toEqual(valueClassThresholds(summaries));
    expect(basis.baseCycle).toBe(baseMedianCycle(summaries.map((s) => s.averageCycle)));
    expect(basis.rfm).toEqual(rfmQuintiles(summaries));
  });

  function valuedInBatches(
    facts: readonly CustomerFacts[],
    models: FittedModels,
    params: ValuationParameters,
    seed: number,
  ): CustomerValuation[] {
    const random = seededRandom(seed);
    const basis = valuationBasis(tableOf(facts, params), models, params);
    const results = new Array<CustomerValuation>(facts.length);
    const order = shuffled(
      facts.map((_, i) => i),
      random,
    );
    for (const batch of batches(order, random, 50)) {
      for (const i of batch) results[i] = valueCustomer(facts[i] as CustomerFacts, i, basis);
    }
    return results;
  }

  it('values every customer as valueCustomers does, in any batch order', () => {
    const facts = customerFacts();
    expect(facts.length).toBeGreaterThan(300);
    const models = fitModels(facts.map((f) => f.summary));
    expect(models.bgnbd).not.toBeNull();
    expect(models.gammaGamma).not.toBeNull();
    const expected = valueCustomers(facts, models, parameters);
    // The data exercise the churn rules and the classes, not one branch of them.
    expect(new Set(expected.map((v) => v.churn.status)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(expected.map((v) => v.valueClass)).size).toBeGreaterThanOrEqual(3);
    for (const seed of [1, 2, 3]) expect(valuedInBatches(facts, models, parameters, seed)).toEqual(expected);
  });

  it('agrees as well without the models (value verification and own average spend)', () => {
    const facts = customerFacts();
    const models: FittedModels = {
      bgnbd: null,
      bgnbdError: 'insufficient_data: test',
      gammaGamma: null,
      gammaGammaError: 'insufficient_data: test',
    };
    const expected = valueCustomers(facts, models, parameters);
    expect(expected.every((v) => v.churn.pAlive === null)).toBe(true);
    expect(expected.some((v) => v.clv.predicted > 0)).toBe(true);
    for (const seed of [4, 5]) expect(valuedInBatches(facts, models, parameters, seed)).toEqual(expected);
  });

  it('agrees with configured class thresholds and churn rules', () => {
    const facts = customerFacts();
    const models = fitModels(facts.map((f) => f.summary));
    const configured: ValuationParameters = {
      ...parameters,
      thresholds: { cycle: { shortMax: 3, mediumMax: 8 }, amount: { smallMax: 30, mediumMax: 60 } },
      churnRules: { atRiskFactor: 1.5, churnedFactor: 2.5, pAliveThreshold: 0.2 },
    };
    const expected = valueCustomers(facts, models, configured);
    expect(valuedInBatches(facts, models, configured, 6)).toEqual(expected);
  });
});

describe('paretoFigures', () => {
  /** The top share straight from the definition, for comparison. */
  function reference(contributions: number[], share: number) {
    const ranked = [...contributions].sort((x, y) => y - x);
    // ceil(share x n), with slack for products such as 0.1 x 30 = 3.0000000000000004.
    const topCount = Math.max(0, Math.ceil(share * ranked.length - 1e-9));
    const topContribution = ranked.slice(0, topCount).reduce((s, c) => s + c, 0);
    const totalContribution = ranked.reduce((s, c) => s + c, 0);
    return {
      topCount,
      topContribution,
      totalContribution,
      topShare: totalContribution > 0 ? topContribution / totalContribution : 0,
    };
  }

  it('gives the figures of paretoShare on random data with ties, in any order', () => {
    const random = seededRandom(23);
    for (let trial = 0; trial < 300; trial++) {
      const n = below(random, 60);
      const levels = 1 + below(random, 6);
      const contributions = Array.from({ length: n }, () =>
        random.next() < 0.1 ? -below(random, 50) : below(random, levels) * 25.5,
      );
      const share = [0.2, 0.1, 0.5, 1, 0.33, random.next()][below(random, 6)] as number;
      const { topCustomerIds, ...figures } = paretoShare(
        contributions.map((contribution, i) => ({ id: `c${i}`, contribution })),
        share,
      );
      expect(paretoFigures(contributions, share)).toEqual(figures);
      expect(paretoFigures(Float64Array.from(shuffled(contributions, random)), share)).toEqual(figures);
      expect(topCustomerIds).toHaveLength(figures.topCount);
      const ref = reference(contributions, share);
      expect(figures.topCount).toBe(ref.topCount);
      expect(figures.topContribution).toBeCloseTo(ref.topContribution, 9);
      expect(figures.totalContribution).toBeCloseTo(ref.totalContribution, 9);
      expect(figures.topShare).toBeCloseTo(ref.topShare, 12);
    }
  });

  it('defaults to the top 20% and counts the top group up', () => {
    const contributions = [5, 80, 5, 5, 70, 5, 5, 5, 5, 5, 1];
    expect(paretoFigures(contributions)).toEqual({
      topCount: 3,
      topContribution: 155,
      totalContribution: 191,
      topShare: 155 / 191,
    });
  });

  it('gives zeros for an empty base', () => {
    const zeros = { topCount: 0, topContribution: 0, totalContribution: 0, topShare: 0 };
    expect(paretoFigures([])).toEqual(zeros);
    expect(paretoFigures(new Float64Array(0), 0.5)).toEqual(zeros);
  });

  it('refuses a share outside (0, 1] and a non-finite contribution', () => {
    for (const share of [0, -0.1, 1.01, NaN]) {
      expect(() => paretoFigures([1, 2, 3], share)).toThrow(ValueDomainError);
    }
    expect(() => paretoFigures([1, NaN, 3])).toThrow(ValueDomainError);
    expect(() => paretoFigures([Infinity])).toThrow(ValueDomainError);
  });
});

describe('quintileScores', () => {
  /**
   * The rule of rfmScores, spelled out: sort, find each tie group, give it the quintile of its
   * mid-rank (mean 1-based rank), score = 1 + floor(5 (midrank - 1/2) / n) within 1..5.
   */
  function referenceScores(values: readonly number[]): number[] {
    const n = values.length;
    const order = values.map((_, i) => i).sort((i, j) => (values[i] as number) - (values[j] as number));
    const scores = new Array<number>(n);
    for (let first = 0; first < n;) {
      let last = first;
      while (last + 1 < n && values[order[last + 1] as number] === values[order[first] as number]) last++;
      const midrank = (first + 1 + (last + 1)) / 2;
      const score = Math.min(5, Math.max(1, 1 + Math.floor((5 * (midrank - 0.5)) / n)));
      for (let k = first; k <= last; k++) scores[order[k] as number] = score;
      first = last + 1;
    }
    return scores;
  }

  it('agrees with the rule on random data with many ties', () => {
    const random = seededRandom(31);
    for (let trial = 0; trial < 500; trial++) {
      const n = trial < 50 ? trial : below(random, 1500);
      const levels = 1 + below(random, [2, 5, 20, 1000][below(random, 4)] as number);
      const values = Array.from({ length: n }, () => {
        // A heavy tie group (the one-time buyers) and scattered values, some negative.
        if (random.next() < 0.4) return 1;
        return (below(random, levels) - levels / 3) * 0.5;
      });
      expect(quintileScores(values)).toEqual(referenceScores(values));
    }
  });

  it('scores higher values higher and ties alike', () => {
    const random = seededRandom(37);
    const values = Array.from({ length: 997 }, () => below(random, 40));
    const scores = quintileScores(values);
    const disorders: Array<[number, number]> = [];
    for (let i = 0; i < values.length; i++) {
      for (let j = 0; j < values.length; j++) {
        const [vi, vj, si, sj] = [values[i], values[j], scores[i], scores[j]] as [
          number,
          number,
          number,
          number,
        ];
        if ((vi < vj && si > sj) || (vi === vj && si !== sj)) disorders.push([i, j]);
      }
    }
    expect(disorders).toEqual([]);
    expect(new Set(scores)).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it('scores a single value or a base of identical values 3', () => {
    expect(quintileScores([42])).toEqual([3]);
    expect(quintileScores(Array.from({ length: 101 }, () => -2.5))).toEqual(new Array(101).fill(3));
  });
});

describe('historicalValue', () => {
  const YEAR = 365.25;

  function randomDays(random: RandomSource, asOfDay: number, count: number): PurchaseDay[] {
    const days = new Set<number>();
    while (days.size < count) days.add(asOfDay - below(random, 3000));
    return [...days]
      .sort((x, y) => x - y)
      .map((day) => ({ day, amount: below(random, 500_000) / 100 - (random.next() < 0.05 ? 1000 : 0) }));
  }

  /** Formula 1 on the past: amount x margin placed at -(asOf - day) / 365.25 years. */
  function expected(days: readonly PurchaseDay[], asOfDay: number, rate: number, margin: number) {
    const contributions = days.map((d) => ({
      amount: d.amount * margin,
      periods: -(asOfDay - d.day) / YEAR,
    }));
    return {
      historical: discountedValue(contributions, rate),
      current: discountedValue(
        contributions.filter((c) => -c.periods * YEAR < YEAR),
        rate,
      ),
    };
  }

  function expectRelativelyClose(actual: number, wanted: number) {
    expect(Math.abs(actual - wanted)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(wanted), 1e-300));
  }

  it('equals the sum of discountedValue contributions to 1e-12 relative', () => {
    const random = seededRandom(41);
    const asOfDay = toEpochDay('2026-06-30');
    for (let trial = 0; trial < 200; trial++) {
      const days = randomDays(random, asOfDay, 1 + below(random, 80));
      const rate = [0, 0.1, 0.25, 1, random.next()][below(random, 5)] as number;
      const margin = [1, 0.3, random.next()][below(random, 3)] as number;
      const value = historicalValue(days, { asOf: asOfDay, annualDiscountRate: rate, margin });
      const wanted = expected(days, asOfDay, rate, margin);
      expectRelativelyClose(value.historical, wanted.historical);
      expectRelativelyClose(value.current, wanted.current);
    }
  });

  it('ignores purchase-days after asOf', () => {
    const random = seededRandom(43);
    const asOfDay = toEpochDay('2026-06-30');
    const options = { asOf: '2026-06-30', annualDiscountRate: 0.1, margin: 0.4 };
    for (let trial = 0; trial < 50; trial++) {
      const past = randomDays(random, asOfDay, 1 + below(random, 30));
      const future = Array.from({ length: 1 + below(random, 10) }, (_, k) => ({
        day: asOfDay + 1 + k * (1 + below(random, 50)),
        amount: 1000 * random.next(),
      }));
      expect(historicalValue([...past, ...future], options)).toEqual(historicalValue(past, options));
      expect(historicalValue(future, options)).toEqual({ historical: 0, current: 0 });
    }
  });

  it('counts asOf itself and the last 365.25 days as current, with r = 0 plain sums', () => {
    const asOfDay = toEpochDay('2026-06-30');
    const days = [
      { day: asOfDay - 366, amount: 1 },
      { day: asOfDay - 365, amount: 10 },
      { day: asOfDay, amount: 100 },
    ];
    expect(historicalValue(days, { asOf: asOfDay, annualDiscountRate: 0, margin: 0.5 })).toEqual({
      historical: 55.5,
      current: 55,
    });
  });
});

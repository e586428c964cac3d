import {
  DEFAULT_LIFECYCLE_RULES,
  baseCycleDays,
  customerCycleDays,
  replayLifecycle,
  type CustomerHistory,
  type LifecycleStart,
  type LifecycleTransition,
  type ReplayContext,
} from '../../src/domain/lifecycle';
import { ValueDomainError } from '../../src/domain/value/domain-error';

// Days are written relative to an arbitrary epoch day so the arithmetic reads as in the docs.
const B = 20_000;

const FRESH: LifecycleStart = {
  churn: { status: null, day: null },
  stage: { stage: 'selection', day: null },
};

function history(offsets: number[], amounts?: number[], newCategoryOffsets: number[] = []): CustomerHistory {
  return {
    days: offsets.map((o) => B + o),
    amounts: amounts ?? offsets.map(() => 10),
    newCategoryDays: newCategoryOffsets.map((o) => B + o),
  };
}

function context(asOfOffset: number, extra: Partial<ReplayContext> = {}): ReplayContext {
  return {
    asOfDay: B + asOfOffset,
    baseCycleDays: null,
    pAlive: null,
    rules: DEFAULT_LIFECYCLE_RULES,
    ...extra,
  };
}

/** Transitions as [kind, day offset, from, to, cause] rows: compact to compare. */
function rows(transitions: LifecycleTransition[]): [string, number, string | null, string | null, string][] {
  return transitions.map((t) => [t.kind === 'stage' ? 'stage' : 'churn', t.day - B, t.from, t.to, t.cause]);
}

const churnRows = (t: LifecycleTransition[]) => rows(t).filter((r) => r[0] === 'churn');
const stageRows = (t: LifecycleTransition[]) => rows(t).filter((r) => r[0] === 'stage');

describe('replayLifecycle: churn status', () => {
  it('a customer buying every 10 days then stopping is at risk on day L+21 and churned on L+31', () => {
    // After the purchase on day 30, c = 30 / 3 = 10: d > 20 first on day 51, d > 30 first on day 61.
    const result = replayLifecycle(history([0, 10, 20, 30]), FRESH, context(200));
    expect(rows(result)).toEqual([
      ['churn', 0, null, 'active', 'purchase'],
      ['stage', 0, 'selection', 'acquisition', 'purchase'],
      ['stage', 10, 'acquisition', 'retention', 'purchase'],
      ['churn', 51, 'active', 'at_risk', 'rule'],
      ['churn', 61, 'at_risk', 'churned', 'rule'],
    ]);
  });

  it('emits nothing after asOf: the day before a threshold, the threshold day itself', () => {
    const h = history([0, 10, 20, 30]);
    expect(churnRows(replayLifecycle(h, FRESH, context(50)))).toEqual([
      ['churn', 0, null, 'active', 'purchase'],
    ]);
    expect(churnRows(replayLifecycle(h, FRESH, context(51))).map((r) => r[3])).toEqual(['active', 'at_risk']);
    expect(churnRows(replayLifecycle(h, FRESH, context(60))).map((r) => r[3])).toEqual(['active', 'at_risk']);
    expect(churnRows(replayLifecycle(h, FRESH, context(61))).map((r) => r[3])).toEqual([
      'active',
      'at_risk',
      'churned',
    ]);
  });

  it('a purchase on the threshold day wins, and the cycle then includes it', () => {
    // Day 51 would be at risk; the purchase that day keeps the customer active. Then c = 51/4:
    // 2c = 25.5 -> day 51 + 26 = 77, 3c = 38.25 -> day 51 + 39 = 90.
    const result = replayLifecycle(history([0, 10, 20, 30, 51]), FRESH, context(200));
    expect(churnRows(result)).toEqual([
      ['churn', 0, null, 'active', 'purchase'],
      ['churn', 77, 'active', 'at_risk', 'rule'],
      ['churn', 90, 'at_risk', 'churned', 'rule'],
    ]);
  });

  it('forms factor x span before dividing, so a threshold that is a whole number stays one', () => {
    // After day 35 with 3 repeats c = 35/3; with atRiskFactor 1.2, 1.2c is 14 exactly: d > 14
    // first on day 35 + 15 = 50. 1.2 x (35/3) in floating point is 13.999999999999998, which
    // would give day 49.
    const rules = { ...DEFAULT_LIFECYCLE_RULES, atRiskFactor: 1.2 };
    const result = replayLifecycle(history([0, 12, 24, 35]), FRESH, context(100, { rules }));
    expect(churnRows(result).slice(1)).toEqual([
      ['churn', 50, 'active', 'at_risk', 'rule'],
      ['churn', 71, 'at_risk', 'churned', 'rule'],
    ]);
  });

  it('judges a one-time buyer by the base median cycle, and not at all without one', () => {
    // c = 7.5: 2c = 15 -> day 100 + 16, 3c = 22.5 -> day 100 + 23.
    const withBase = replayLifecycle(history([100]), FRESH, context(300, { baseCycleDays: 7.5 }));
    expect(churnRows(withBase)).toEqual([
      ['churn', 100, null, 'active', 'purchase'],
      ['churn', 116, 'active', 'at_risk', 'rule'],
      ['churn', 123, 'at_risk', 'churned', 'rule'],
    ]);
    const withoutBase = replayLifecycle(history([100]), FRESH, context(10_000));
    expect(churnRows(withoutBase)).toEqual([['churn', 100, null, 'active', 'purchase']]);
  });

  it('wins back a churned customer, and the next purchase makes them active', () => {
    // After day 20, c = 10: at risk 41, churned 51. Purchase 60 wins back; after it c = 60/3 = 20
    // (at risk would be 101) but the purchase on 70 comes first: active.
    const result = replayLifecycle(history([0, 10, 20, 60, 70]), FRESH, context(80));
    expect(churnRows(result)).toEqual([
      ['churn', 0, null, 'active', 'purchase'],
      ['churn', 41, 'active', 'at_risk', 'rule'],
      ['churn', 51, 'at_risk', 'churned', 'rule'],
      ['churn', 60, 'churned', 'won_back', 'purchase'],
      ['churn', 70, 'won_back', 'active', 'purchase'],
    ]);
  });

  it('a won-back customer who lapses is at risk and churned again', () => {
    // After 60 (c = 20): at risk 101, churned 121.
    const result = replayLifecycle(history([0, 10, 20, 60]), FRESH, context(130));
    expect(churnRows(result).slice(3)).toEqual([
      ['churn', 60, 'churned', 'won_back', 'purchase'],
      ['churn', 101, 'won_back', 'at_risk', 'rule'],
      ['churn', 121, 'at_risk', 'churned', 'rule'],
    ]);
  });

  it('a purchase while at risk makes the customer active again', () => {
    const result = replayLifecycle(history([0, 10, 20, 45]), FRESH, context(50));
    expect(churnRows(result)).toEqual([
      ['churn', 0, null, 'active', 'purchase'],
      ['churn', 41, 'active', 'at_risk', 'rule'],
      ['churn', 45, 'at_risk', 'active', 'purchase'],
    ]);
  });

  it('records only the churn when at risk and churned fall on the same day', () => {
    const rules = { ...DEFAULT_LIFECYCLE_RULES, atRiskFactor: 2, churnedFactor: 2 };
    const result = replayLifecycle(history([0, 10]), FRESH, context(100, { rules }));
    expect(churnRows(result)).toEqual([
      ['churn', 0, null, 'active', 'purchase'],
      ['churn', 31, 'active', 'churned', 'rule'],
    ]);
  });

  it('from a manual churn, no rule follows; the next purchase after it wins the customer back', () => {
    // Churned by hand on day 35 (after the purchase on 30, before the rule's day 51).
    const start: LifecycleStart = {
      churn: { status: 'churned', day: B + 35 },
      stage: { stage: 'retention', day: B + 10 },
    };
    expect(rows(replayLifecycle(history([0, 10, 20, 30]), start, context(200)))).toEqual([]);
    // A purchase on day 40: won back; then c = 40 / 4 = 10 from day 40: at risk 61, churned 71.
    expect(rows(replayLifecycle(history([0, 10, 20, 30, 40]), start, context(200)))).toEqual([
      ['churn', 40, 'churned', 'won_back', 'purchase'],
      ['churn', 61, 'won_back', 'at_risk', 'rule'],
      ['churn', 71, 'at_risk', 'churned', 'rule'],
    ]);
  });

  it('a purchase on the day of a manual churn does not win the customer back (only later days move it)', () => {
    const start: LifecycleStart = {
      churn: { status: 'churned', day: B + 30 },
      stage: { stage: 'retention', day: B + 10 },
    };
    expect(rows(replayLifecycle(history([0, 10, 20, 30]), start, context(200)))).toEqual([]);
  });

  it('from a recorded at-risk state, the pending churn of the last purchase still comes', () => {
    const start: LifecycleStart = {
      churn: { status: 'at_risk', day: B + 51 },
      stage: { stage: 'retention', day: B + 10 },
    };
    expect(rows(replayLifecycle(history([0, 10, 20, 30]), start, context(200)))).toEqual([
      ['churn', 61, 'at_risk', 'churned', 'rule'],
    ]);
  });

  it('treats a status without a day, or a day without a status, as nothing recorded: from the beginning', () => {
    const h = history([0, 10]);
    const full = replayLifecycle(h, FRESH, context(15));
    const dayOnly: LifecycleStart = { ...FRESH, churn: { status: null, day: B + 5 } };
    expect(replayLifecycle(h, dayOnly, context(15))).toEqual(full);
    const statusOnly: LifecycleStart = { ...FRESH, churn: { status: 'churned', day: null } };
    expect(churnRows(replayLifecycle(h, statusOnly, context(15)))).toEqual([
      ['churn', 0, 'churned', 'active', 'purchase'],
    ]);
  });

  it('a customer whose purchases all disappeared loses the status at asOf', () => {
    const start: LifecycleStart = {
      churn: { status: 'at_risk', day: B + 51 },
      stage: { stage: 'retention', day: B + 10 },
    };
    expect(rows(replayLifecycle(history([]), start, context(80)))).toEqual([
      ['churn', 80, 'at_risk', null, 'rule'],
    ]);
    expect(rows(replayLifecycle(history([]), start, context(51)))).toEqual([]);
    expect(rows(replayLifecycle(history([]), FRESH, context(80)))).toEqual([]);
  });
});

describe('replayLifecycle: the model', () => {
  it('churns at asOf when P(alive) is below the threshold and the rules left the customer not churned', () => {
    const h = history([0, 10, 20]);
    expect(churnRows(replayLifecycle(h, FRESH, context(35, { pAlive: 0.05 })))).toEqual([
      ['churn', 0, null, 'active', 'purchase'],
      ['churn', 35, 'active', 'churned', 'model'],
    ]);
    expect(churnRows(replayLifecycle(h, FRESH, context(35, { pAlive: 0.1 })))).toEqual([
      ['churn', 0, null, 'active', 'purchase'],
    ]);
    // At risk on 41 by the rule, then the model on 45.
    expect(churnRows(replayLifecycle(h, FRESH, context(45, { pAlive: 0.01 }))).slice(1)).toEqual([
      ['churn', 41, 'active', 'at_risk', 'rule'],
      ['churn', 45, 'at_risk', 'churned', 'model'],
    ]);
    // Churned by the rule on 51: nothing for the model to do.
    expect(churnRows(replayLifecycle(h, FRESH, context(60, { pAlive: 0.01 }))).map((r) => r[4])).toEqual([
      'purchase',
      'rule',
      'rule',
    ]);
  });

  it('does not churn again on the day the state was recorded (the same asOf run twice)', () => {
    const start: LifecycleStart = {
      churn: { status: 'active', day: B + 35 },
      stage: { stage: 'retention', day: B + 10 },
    };
    expect(rows(replayLifecycle(history([0, 10, 20]), start, context(35, { pAlive: 0.05 })))).toEqual([]);
  });

  it('puts the model churn before the stage change of a purchase on asOf itself', () => {
    const result = replayLifecycle(history([0, 35]), FRESH, context(35, { pAlive: 0.05 }));
    expect(rows(result)).toEqual([
      ['churn', 0, null, 'active', 'purchase'],
      ['stage', 0, 'selection', 'acquisition', 'purchase'],
      ['churn', 35, 'active', 'churned', 'model'],
      ['stage', 35, 'acquisition', 'retention', 'purchase'],
    ]);
  });
});

describe('replayLifecycle: stages', () => {
  it('acquisition on the first purchase, retention on an ordinary repeat, extension on a new category', () => {
    // The first purchase's categories are all new: that is acquisition, not extension.
    const result = replayLifecycle(history([0, 10, 20, 30], undefined, [0, 20]), FRESH, context(35));
    expect(stageRows(result)).toEqual([
      ['stage', 0, 'selection', 'acquisition', 'purchase'],
      ['stage', 10, 'acquisition', 'retention', 'purchase'],
      ['stage', 20, 'retention', 'extension', 'purchase'],
    ]);
  });

  it('a new category on the second purchase goes straight from acquisition to extension', () => {
    const result = replayLifecycle(history([0, 10], undefined, [0, 10]), FRESH, context(12));
    expect(stageRows(result)).toEqual([
      ['stage', 0, 'selection', 'acquisition', 'purchase'],
      ['stage', 10, 'acquisition', 'extension', 'purchase'],
    ]);
  });

  it('extension by spend: above 1.5 x the mean of the earlier purchase days, not at it', () => {
    const above = replayLifecycle(history([0, 10, 20], [10, 10, 15.01]), FRESH, context(25));
    expect(stageRows(above).map((r) => r[3])).toEqual(['acquisition', 'retention', 'extension']);
    const at = replayLifecycle(history([0, 10, 20], [10, 10, 15]), FRESH, context(25));
    expect(stageRows(at).map((r) => r[3])).toEqual(['acquisition', 'retention']);
  });

  it('the spend mean counts every earlier purchase day, also those before the start', () => {
    // Mean of 100 and 10 is 55; 60 is below 82.5. The days after the start alone (10) would make it extension.
    const start: LifecycleStart = {
      churn: { status: 'active', day: B + 10 },
      stage: { stage: 'retention', day: B + 10 },
    };
    expect(rows(replayLifecycle(history([0, 10, 20], [100, 10, 60]), start, context(25)))).toEqual([]);
    expect(stageRows(replayLifecycle(history([0, 10, 20], [100, 10, 83]), start, context(25)))).toEqual([
      ['stage', 20, 'retention', 'extension', 'purchase'],
    ]);
  });

  it('extension is not undone by an ordinary repeat', () => {
    const result = replayLifecycle(history([0, 10, 20], [10, 100, 10]), FRESH, context(25));
    expect(stageRows(result).map((r) => r[3])).toEqual(['acquisition', 'extension']);
  });

  it('a selection set by hand after purchases moves on at the next purchase, never back to acquisition', () => {
    const start: LifecycleStart = {
      churn: { status: 'active', day: B + 10 },
      stage: { stage: 'selection', day: B + 12 },
    };
    expect(stageRows(replayLifecycle(history([0, 10, 20]), start, context(25)))).toEqual([
      ['stage', 20, 'selection', 'retention', 'purchase'],
    ]);
    expect(stageRows(replayLifecycle(history([0, 10, 20], undefined, [20]), start, context(25)))).toEqual([
      ['stage', 20, 'selection', 'extension', 'purchase'],
    ]);
    // Nothing bought after the hand: the hand's stage stands.
    expect(stageRows(replayLifecycle(history([0, 10]), start, context(25)))).toEqual([]);
  });

  it('a stage set by hand before the first purchase gives way to acquisition on it', () => {
    const start: LifecycleStart = {
      churn: { status: null, day: null },
      stage: { stage: 'retention', day: B - 5 },
    };
    expect(stageRows(replayLifecycle(history([0]), start, context(5)))).toEqual([
      ['stage', 0, 'retention', 'acquisition', 'purchase'],
    ]);
  });

  it('passes over a new-category day that is no purchase day', () => {
    const result = replayLifecycle(history([0, 10, 20], undefined, [0, 5, 20]), FRESH, context(25));
    expect(stageRows(result).map((r) => [r[1], r[3]])).toEqual([
      [0, 'acquisition'],
      [10, 'retention'],
      [20, 'extension'],
    ]);
  });
});

describe('replayLifecycle: inputs', () => {
  it('gives equal answers for equal inputs, and accepts typed arrays', () => {
    const h = history([0, 10, 20, 30], [5, 6, 30, 7], [0, 30]);
    const typed: CustomerHistory = {
      days: Int32Array.from(h.days as number[]),
      amounts: Float64Array.from(h.amounts as number[]),
      newCategoryDays: Int32Array.from(h.newCategoryDays as number[]),
    };
    const first = replayLifecycle(h, FRESH, context(200, { pAlive: 0.5 }));
    expect(replayLifecycle(h, FRESH, context(200, { pAlive: 0.5 }))).toEqual(first);
    expect(replayLifecycle(typed, FRESH, context(200, { pAlive: 0.5 }))).toEqual(first);
    expect(first.length).toBeGreaterThan(3);
  });

  it.each<[string, CustomerHistory, Partial<ReplayContext>]>([
    ['a purchase after asOf', history([0, 10, 300]), {}],
    ['days out of order', history([10, 0]), {}],
    ['a repeated day', history([0, 0]), {}],
    ['a fractional day', history([0, 0.5]), {}],
    ['a missing amount', { ...history([0, 10]), amounts: [1] }, {}],
    ['a non-finite amount', history([0, 10], [1, NaN]), {}],
    ['new-category days out of order', history([0, 10], undefined, [10, 0]), {}],
    ['atRiskFactor 0', history([0]), { rules: { ...DEFAULT_LIFECYCLE_RULES, atRiskFactor: 0 } }],
    [
      'churnedFactor below atRiskFactor',
      history([0]),
      { rules: { ...DEFAULT_LIFECYCLE_RULES, churnedFactor: 1 } },
    ],
    ['a NaN factor', history([0]), { rules: { ...DEFAULT_LIFECYCLE_RULES, churnedFactor: NaN } }],
    ['pAliveThreshold above 1', history([0]), { rules: { ...DEFAULT_LIFECYCLE_RULES, pAliveThreshold: 2 } }],
    [
      'extensionSpendFactor 0',
      history([0]),
      { rules: { ...DEFAULT_LIFECYCLE_RULES, extensionSpendFactor: 0 } },
    ],
    ['pAlive above 1', history([0]), { pAlive: 1.5 }],
    ['a base cycle of 0', history([0]), { baseCycleDays: 0 }],
    ['a fractional asOf', history([0]), { asOfDay: B + 100.5 }],
  ])('refuses %s', (_what, h, extra) => {
    expect(() => replayLifecycle(h, FRESH, context(200, extra))).toThrow(ValueDomainError);
  });

  it('refuses an unknown start state', () => {
    const badChurn = { ...FRESH, churn: { status: 'lost', day: B } } as unknown as LifecycleStart;
    const badStage = { ...FRESH, stage: { stage: 'loyal', day: B } } as unknown as LifecycleStart;
    expect(() => replayLifecycle(history([0]), badChurn, context(10))).toThrow(ValueDomainError);
    expect(() => replayLifecycle(history([0]), badStage, context(10))).toThrow(ValueDomainError);
  });

  it('writes nothing when the start is after asOf (a manual churn after a run`s asOf)', () => {
    const start: LifecycleStart = {
      churn: { status: 'churned', day: B + 60 },
      stage: { stage: 'retention', day: B + 10 },
    };
    expect(rows(replayLifecycle(history([0, 10, 20, 30]), start, context(55, { pAlive: 0.01 })))).toEqual([]);
  });
});

describe('baseCycleDays and customerCycleDays', () => {
  it('is the median of the repeat buyers` t_x / x, null with none', () => {
    expect(baseCycleDays([4, 10, 6])).toBe(6);
    expect(baseCycleDays(Float64Array.of(4, 10, 6, 8))).toBe(7);
    expect(baseCycleDays([])).toBeNull();
    expect(() => baseCycleDays([4, 0])).toThrow(ValueDomainError);
    expect(() => baseCycleDays([4, NaN])).toThrow(ValueDomainError);
  });

  it('a customer`s cycle is (last - first) / repeats, null for a one-time buyer', () => {
    expect(customerCycleDays(B, B + 30, 3)).toBe(10);
    expect(customerCycleDays(B, B, 0)).toBeNull();
    expect(() => customerCycleDays(B + 1, B, 1)).toThrow(ValueDomainError);
    expect(() => customerCycleDays(B, B + 1, -1)).toThrow(ValueDomainError);
  });
});

import fc from 'fast-check';
import {
  replayLifecycle,
  type ChurnStatus,
  type CustomerHistory,
  type LifecycleRules,
  type LifecycleStage,
  type LifecycleStart,
  type LifecycleTransition,
  type ReplayContext,
} from '../../src/domain/lifecycle';

const FRESH: LifecycleStart = {
  churn: { status: null, day: null },
  stage: { stage: 'selection', day: null },
};

interface Case {
  history: CustomerHistory;
  context: ReplayContext;
}

/** Random customers: gaps of 1 to 40 days, amounts, new categories, a base cycle, P(alive), factors. */
const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    first: fc.integer({ min: 18_000, max: 21_000 }),
    purchases: fc.array(
      fc.record({
        gap: fc.integer({ min: 1, max: 40 }),
        amount: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0.01, max: 500, noNaN: true })),
        newCategory: fc.boolean(),
      }),
      { minLength: 1, maxLength: 15 },
    ),
    tail: fc.integer({ min: 0, max: 200 }),
    baseCycle: fc.option(fc.double({ min: 1, max: 60, noNaN: true })),
    pAlive: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    atRiskFactor: fc.double({ min: 0.5, max: 4, noNaN: true }),
    extra: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })),
    extensionSpendFactor: fc.double({ min: 1, max: 3, noNaN: true }),
  })
  .map((r) => {
    const days: number[] = [];
    const newCategoryDays: number[] = [];
    let day = r.first;
    for (const [i, p] of r.purchases.entries()) {
      if (i > 0) day += p.gap;
      days.push(day);
      if (p.newCategory) newCategoryDays.push(day);
    }
    const rules: LifecycleRules = {
      atRiskFactor: r.atRiskFactor,
      churnedFactor: r.atRiskFactor + r.extra,
      pAliveThreshold: 0.1,
      extensionSpendFactor: r.extensionSpendFactor,
    };
    return {
      history: { days, amounts: r.purchases.map((p) => p.amount), newCategoryDays },
      context: { asOfDay: day + r.tail, baseCycleDays: r.baseCycle, pAlive: r.pAlive, rules },
    };
  });

/**
 * The rules of docs/lifecycle.md applied day by day, the slow and obvious way: every day from
 * the first purchase to asOf, the status and stage as the definitions say (d > factor x c).
 */
function oracle({ history, context }: Case): LifecycleTransition[] {
  const { days, amounts } = history;
  const categories = new Set(Array.from(history.newCategoryDays));
  const { rules } = context;
  const out: LifecycleTransition[] = [];
  let churn: ChurnStatus | null = null;
  let stage: LifecycleStage = 'selection';
  let k = -1;
  let sum = 0;
  for (let t = days[0] as number; t <= context.asOfDay; t++) {
    if (days[k + 1] === t) {
      k++;
      const next: ChurnStatus = k === 0 ? 'active' : churn === 'churned' ? 'won_back' : 'active';
      if (next !== churn)
        out.push({ kind: 'churn_status', day: t, from: churn, to: next, cause: 'purchase' });
      churn = next;
      const amount = amounts[k] as number;
      const extending = k > 0 && (categories.has(t) || amount * k > rules.extensionSpendFactor * sum);
      const nextStage: LifecycleStage =
        k === 0
          ? 'acquisition'
          : extending
            ? 'extension'
            : stage === 'retention'
              ? 'retention'
              : stage === 'extension'
                ? 'extension'
                : 'retention';
      if (nextStage !== stage)
        out.push({ kind: 'stage', day: t, from: stage, to: nextStage, cause: 'purchase' });
      stage = nextStage;
      sum += amount;
      continue;
    }
    const last = days[k] as number;
    const d = t - last;
    const span = last - (days[0] as number);
    const over = (factor: number) =>
      k > 0 ? d > (factor * span) / k : context.baseCycleDays !== null && d > factor * context.baseCycleDays;
    if (over(rules.churnedFactor)) {
      if (churn !== 'churned')
        out.push({ kind: 'churn_status', day: t, from: churn, to: 'churned', cause: 'rule' });
      churn = 'churned';
    } else if (over(rules.atRiskFactor) && (churn === 'active' || churn === 'won_back')) {
      out.push({ kind: 'churn_status', day: t, from: churn, to: 'at_risk', cause: 'rule' });
      churn = 'at_risk';
    }
  }
  if (context.pAlive !== null && context.pAlive < rules.pAliveThreshold && churn !== 'churned') {
    const model: LifecycleTransition = {
      kind: 'churn_status',
      day: context.asOfDay,
      from: churn,
      to: 'churned',
      cause: 'model',
    };
    const lastEvent = out[out.length - 1];
    if (lastEvent && lastEvent.kind === 'stage' && lastEvent.day === context.asOfDay)
      out.splice(out.length - 1, 0, model);
    else out.push(model);
  }
  return out;
}

/** The state a run would have recorded after the events `events` (each kind's latest). */
function stateAfter(events: LifecycleTransition[]): LifecycleStart {
  const start: LifecycleStart = {
    churn: { status: null, day: null },
    stage: { stage: 'selection', day: null },
  };
  for (const e of events) {
    if (e.kind === 'churn_status') start.churn = { status: e.to as ChurnStatus, day: e.day };
    else start.stage = { stage: e.to as LifecycleStage, day: e.day };
  }
  return start;
}

describe('replayLifecycle properties', () => {
  it('agrees with the rules applied day by day', () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        expect(replayLifecycle(c.history, FRESH, c.context)).toEqual(oracle(c));
      }),
      { numRuns: 500 },
    );
  });

  it('from the state after any of its events, gives exactly the rest of the full replay', () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        // Without the model: its one event on asOf depends on the run, not on the day cut.
        const context = { ...c.context, pAlive: null };
        const full = replayLifecycle(c.history, FRESH, context);
        for (let j = 0; j <= full.length; j++) {
          expect(replayLifecycle(c.history, stateAfter(full.slice(0, j)), context)).toEqual(full.slice(j));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('from what a run up to an earlier day recorded, gives exactly the later events (model included)', () => {
    fc.assert(
      fc.property(caseArbitrary, fc.double({ min: 0, max: 1, noNaN: true }), (c, at) => {
        const full = replayLifecycle(c.history, FRESH, c.context);
        const first = c.history.days[0] as number;
        const cut = Math.floor(first - 1 + at * (c.context.asOfDay - first));
        const start = stateAfter(full.filter((e) => e.day <= cut));
        expect(replayLifecycle(c.history, start, c.context)).toEqual(full.filter((e) => e.day > cut));
      }),
      { numRuns: 300 },
    );
  });

  it('run again from its own end state, writes nothing', () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const full = replayLifecycle(c.history, FRESH, c.context);
        expect(replayLifecycle(c.history, stateAfter(full), c.context)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('answers in order, on days up to asOf, each a real change continuing the one before', () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const full = replayLifecycle(c.history, FRESH, c.context);
        let previous: LifecycleTransition | null = null;
        const latest: Record<string, string | null> = { churn_status: null, stage: 'selection' };
        for (const e of full) {
          expect(e.day).toBeLessThanOrEqual(c.context.asOfDay);
          expect(e.from).not.toBe(e.to);
          expect(e.from).toBe(latest[e.kind]);
          latest[e.kind] = e.to;
          if (previous) {
            expect(e.day).toBeGreaterThanOrEqual(previous.day);
            // Churn before stage on one day.
            if (e.day === previous.day && e.kind === 'churn_status')
              expect(previous.kind).toBe('churn_status');
          }
          previous = e;
        }
      }),
      { numRuns: 300 },
    );
  });
});

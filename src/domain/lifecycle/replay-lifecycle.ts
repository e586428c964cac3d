import { ValueDomainError } from '../value/domain-error';
import { churnAfterPurchase, mayBecomeAtRisk, mayBecomeChurned, thresholdDay } from './churn-replay';
import { requireValidRules, type LifecycleRules } from './lifecycle-rules';
import type {
  ChurnStatus,
  CustomerHistory,
  LifecycleCause,
  LifecycleStage,
  LifecycleStart,
  LifecycleTransition,
} from './lifecycle-types';
import { extendsRelationship, stageAfterPurchase } from './stage-replay';

export interface ReplayContext {
  asOfDay: number;
  /** Median t_x/x in DAYS over the base's repeat buyers; null when nobody bought twice. */
  baseCycleDays: number | null;
  /** The run's P(alive) for this customer, null without a fit. */
  pAlive: number | null;
  rules: LifecycleRules;
}

/**
 * A customer's dated transitions after the start state, up to `asOfDay` (docs/lifecycle.md
 * "Churn status", "Stages", "Replay during a run"), ascending by day, churn before stage on one
 * day. Pure: the same input gives the same output, and a replay started from any state of a
 * full replay (the last event of each kind on or before some day) gives exactly the full
 * replay's events after that day, which is what lets a run write only what is new.
 *
 * One pass over the purchase days does both kinds: on a purchase day the churn change, then the
 * stage change; between it and the next purchase day the threshold rules of the churn status.
 * Called a million times per run, so plain loops, no Date, nothing allocated but the answer.
 */
export function replayLifecycle(
  history: CustomerHistory,
  start: LifecycleStart,
  context: ReplayContext,
): LifecycleTransition[] {
  const { days, amounts, newCategoryDays } = history;
  const { asOfDay, baseCycleDays, pAlive, rules } = context;
  requireValidContext(context);
  const n = days.length;
  if (amounts.length !== n) {
    throw new ValueDomainError('invalid_input', 'a history needs one amount per purchase day');
  }
  requireChurnStatus(start.churn.status);
  requireStage(start.stage.stage);
  requireDay(start.churn.day, 'the churn start day');
  requireDay(start.stage.day, 'the stage start day');

  // Only days strictly after a kind's start day move it. A status without a day (or a day
  // without a status) is no recorded state: that kind replays from the beginning.
  let churn = start.churn.status;
  const churnAfter = churn === null || start.churn.day === null ? -Infinity : start.churn.day;
  let stage = start.stage.stage;
  const stageAfter = start.stage.day === null ? -Infinity : start.stage.day;

  const out: LifecycleTransition[] = [];

  if (n === 0) {
    // Every counted purchase is gone (docs/lifecycle.md "Replay during a run"): no status.
    if (churn !== null && asOfDay > churnAfter) push(out, 'churn_status', asOfDay, churn, null, 'rule');
    return out;
  }

  const { atRiskFactor, churnedFactor, extensionSpendFactor } = rules;
  const firstDay = days[0] as number;
  const categoryCount = newCategoryDays.length;
  let category = 0;
  let previousCategoryDay = -Infinity;
  let previousDay = -Infinity;
  let earlierSum = 0;

  for (let i = 0; i < n; i++) {
    const day = days[i] as number;
    const amount = amounts[i] as number;
    if (!Number.isInteger(day) || day <= previousDay || day > asOfDay) {
      throw new ValueDomainError(
        'invalid_input',
        'purchase days must be whole days, ascending, unique, <= asOfDay',
      );
    }
    if (!Number.isFinite(amount)) {
      throw new ValueDomainError('invalid_input', 'a purchase day amount must be a finite number');
    }
    previousDay = day;

    // Advance the category pointer to this day; a category day that is no purchase day is
    // passed over (the category came with nothing that counts).
    let newCategory = false;
    while (category < categoryCount) {
      const categoryDay = newCategoryDays[category] as number;
      if (!(categoryDay > previousCategoryDay)) {
        throw new ValueDomainError('invalid_input', 'new-category days must be ascending and unique');
      }
      if (categoryDay > day) break;
      previousCategoryDay = categoryDay;
      category++;
      if (categoryDay === day) {
        newCategory = true;
        break;
      }
    }

    if (day > churnAfter) {
      const next = churnAfterPurchase(churn, i === 0);
      if (next !== churn) push(out, 'churn_status', day, churn, next, 'purchase');
      churn = next;
    }
    if (day > stageAfter) {
      const extending =
        i > 0 && extendsRelationship(newCategory, amount, earlierSum, i, extensionSpendFactor);
      const next = stageAfterPurchase(stage, i === 0, extending);
      if (next !== stage) push(out, 'stage', day, stage, next, 'purchase');
      stage = next;
    }
    earlierSum += amount;

    // The thresholds after this purchase, while nothing else happens: before the next purchase
    // day (one on the threshold day wins) and on or before asOf; strictly after the start day.
    const before = i + 1 < n ? (days[i + 1] as number) : asOfDay + 1;
    const span = day - firstDay;
    const churnedDay = thresholdDay(day, span, i, churnedFactor, baseCycleDays);
    const atRiskDay = thresholdDay(day, span, i, atRiskFactor, baseCycleDays);
    // At risk on the day the customer churns too lasted no day at all: only the churn is recorded.
    if (atRiskDay < before && atRiskDay > churnAfter && atRiskDay < churnedDay && mayBecomeAtRisk(churn)) {
      push(out, 'churn_status', atRiskDay, churn, 'at_risk', 'rule');
      churn = 'at_risk';
    }
    if (churnedDay < before && churnedDay > churnAfter && mayBecomeChurned(churn)) {
      push(out, 'churn_status', churnedDay, churn, 'churned', 'rule');
      churn = 'churned';
    }
  }

  // The category days past the last purchase were never reached: check their order too.
  for (; category < categoryCount; category++) {
    const categoryDay = newCategoryDays[category] as number;
    if (!(categoryDay > previousCategoryDay)) {
      throw new ValueDomainError('invalid_input', 'new-category days must be ascending and unique');
    }
    previousCategoryDay = categoryDay;
  }

  if (pAlive !== null && pAlive < rules.pAliveThreshold && asOfDay > churnAfter && mayBecomeChurned(churn)) {
    push(out, 'churn_status', asOfDay, churn, 'churned', 'model');
    // A stage change of a purchase on asOf itself was pushed already; churn goes first on a day.
    const last = out.length - 1;
    const previous = out[last - 1] as LifecycleTransition | undefined;
    if (previous !== undefined && previous.kind === 'stage' && previous.day === asOfDay) {
      out[last - 1] = out[last] as LifecycleTransition;
      out[last] = previous;
    }
  }
  return out;
}

function push(
  out: LifecycleTransition[],
  kind: LifecycleTransition['kind'],
  day: number,
  from: string | null,
  to: string | null,
  cause: LifecycleCause,
): void {
  // One object shape for every transition, built in one place.
  out.push({ kind, day, from, to, cause });
}

function requireValidContext(context: ReplayContext): void {
  requireValidRules(context.rules);
  if (!Number.isInteger(context.asOfDay)) {
    throw new ValueDomainError('invalid_input', 'asOfDay must be a whole epoch day');
  }
  const base = context.baseCycleDays;
  if (base !== null && !(base > 0 && base < Infinity)) {
    throw new ValueDomainError('invalid_input', 'baseCycleDays must be null or a finite number of days > 0');
  }
  const pAlive = context.pAlive;
  if (pAlive !== null && !(pAlive >= 0 && pAlive <= 1)) {
    throw new ValueDomainError('invalid_input', 'pAlive must be null or between 0 and 1');
  }
}

function requireDay(day: number | null, what: string): void {
  if (day !== null && !Number.isInteger(day)) {
    throw new ValueDomainError('invalid_input', `${what} must be null or a whole epoch day`);
  }
}

function requireChurnStatus(status: ChurnStatus | null): void {
  switch (status) {
    case null:
    case 'active':
    case 'at_risk':
    case 'churned':
    case 'won_back':
      return;
    default:
      throw new ValueDomainError('invalid_input', `unknown churn status ${String(status)}`);
  }
}

function requireStage(stage: LifecycleStage): void {
  switch (stage) {
    case 'selection':
    case 'acquisition':
    case 'retention':
    case 'extension':
      return;
    default:
      throw new ValueDomainError('invalid_input', `unknown lifecycle stage ${String(stage)}`);
  }
}

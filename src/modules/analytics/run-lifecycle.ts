import {
  baseCycleDays,
  customerCycleDays,
  replayLifecycle,
  type ChurnStatus,
  type LifecycleRules,
  type LifecycleStage,
  type LifecycleStart,
} from '../../domain/lifecycle';
import type { PurchaseDay } from '../../domain/value';
import { PurchaseHistoryStore } from '../../domain/value/purchase-history-store';
import { RunLifecycleChanges, type RunLifecycleChange } from '../lifecycle/run-changes';

/** Where a customer stood before the run, as liveCustomersQuery reads it. */
export interface StartRow {
  churnStatus: ChurnStatus | null;
  churnDay: number | null;
  churnCause: string | null;
  stage: LifecycleStage;
  stageDay: number | null;
}

const FROM_THE_BEGINNING: LifecycleStart = {
  churn: { status: null, day: null },
  stage: { stage: 'selection', day: null },
};

/**
 * A run's side of docs/lifecycle.md "Replay during a run": the buyers' histories and start
 * states gathered while the purchases are read, then, customer by customer during scoring (when
 * the base's median cycle and each P(alive) are known), the replay from each start state up to
 * asOf, whose changes are kept as COPY lines for the run's staging table. A back-dated run
 * (`write` false) replays from the beginning for its snapshot's churn status and keeps nothing.
 */
export class RunLifecycle {
  private readonly histories: PurchaseHistoryStore;
  private readonly starts: LifecycleStart[] = [];
  private readonly repeatCycles: number[] = [];
  private pending: RunLifecycleChange[] = [];
  private written = 0;
  private baseCycle: number | null = null;

  constructor(
    private readonly asOfDay: number,
    private readonly rules: LifecycleRules,
    /** False for a run dated before the latest finished one: it must not rewrite the present. */
    readonly write: boolean,
    expectedCustomers: number,
  ) {
    this.histories = new PurchaseHistoryStore(expectedCustomers);
  }

  get changes(): number {
    return this.written + this.pending.length;
  }

  /** The next buyer, in the order the run values them. */
  addBuyer(start: StartRow, days: readonly PurchaseDay[], newCategoryDays: readonly number[]): void {
    this.histories.push(days, newCategoryDays);
    this.starts.push(
      this.write
        ? {
            churn: { status: start.churnStatus, day: start.churnStatus === null ? null : start.churnDay },
            stage: { stage: start.stage, day: start.stageDay },
          }
        : FROM_THE_BEGINNING,
    );
    const cycle = customerCycleDays(days[0]!.day, days[days.length - 1]!.day, days.length - 1);
    if (cycle !== null) this.repeatCycles.push(cycle);
  }

  /**
   * A customer with a churn status and no counted purchase as of asOf any more (all cancelled
   * or returned): the status goes, as the value does. A manual churn stands.
   */
  addNonBuyer(customerId: string, start: StartRow): void {
    if (!this.write || start.churnStatus === null || start.churnCause === 'manual') return;
    if (start.churnDay !== null && start.churnDay > this.asOfDay) return;
    this.pending.push({
      customerId,
      kind: 'churn_status',
      from: start.churnStatus,
      to: null,
      day: this.asOfDay,
      cause: 'rule',
    });
  }

  /** After reading: the base's median cycle in days, a one-time buyer's cycle. */
  seal(): void {
    this.baseCycle = baseCycleDays(this.repeatCycles);
    this.repeatCycles.length = 0;
  }

  /** Replays the buyer at `position`; answers its churn status as of asOf. */
  replay(position: number, customerId: string, pAlive: number | null): ChurnStatus {
    const start = this.starts[position]!;
    const transitions = replayLifecycle(this.histories.at(position), start, {
      asOfDay: this.asOfDay,
      baseCycleDays: this.baseCycle,
      pAlive,
      rules: this.rules,
    });
    let status = start.churn.status;
    for (const t of transitions) {
      if (t.kind === 'churn_status') status = t.to as ChurnStatus | null;
      if (this.write)
        this.pending.push({
          customerId,
          kind: t.kind,
          from: t.from,
          to: t.to,
          day: t.day,
          cause: t.cause as RunLifecycleChange['cause'],
        });
    }
    return status ?? 'active';
  }

  /** The COPY lines of the changes found since the last call ('' when none). */
  take(): string {
    if (this.pending.length === 0) return '';
    const lines = RunLifecycleChanges.encode(this.pending, this.written);
    this.written += this.pending.length;
    this.pending = [];
    return lines;
  }
}

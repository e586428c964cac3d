import type { Knex } from 'knex';
import type { RunRow } from './repository';

/**
 * Work other modules do at every analytics run, without the run knowing them: product
 * associations computed from the order lines (prepare), dynamic segments re-materialised
 * from the run's new values (publish). Registered in src/app.ts.
 */
export interface RunExtension {
  /** Names the step in the run's phase timings (the "analytics run finished" log line). */
  name: string;
  /**
   * Before the publishing transaction, after the run's snapshot is written and indexed:
   * heavy work that stores its results keyed by the run id. A throw fails the run.
   */
  prepare?(run: RunRow): Promise<void>;
  /**
   * In the publishing transaction, after the run became the current one and its value events
   * were written: reads see the run's values. A throw fails the run and rolls the
   * publication back, so the previous run stays current.
   */
  publish?(run: RunRow, trx: Knex.Transaction): Promise<void>;
}

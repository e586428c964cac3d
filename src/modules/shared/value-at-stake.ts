/**
 * What the service would lose by losing a customer, from the latest finished analytics run:
 * predicted CLV x (1 - P(alive)) (docs/domain.md section 3, "value at stake first"). Service
 * lists sort by it so a team serves first the customers it would lose most by losing.
 *
 * Join `customer_values` as `v` with {@link valueJoinOn} for the customer column of the list's
 * table; a customer the run did not value has no row and sorts last (NULLS LAST).
 */
export const CURRENT_RUN_SQL =
  "(SELECT id FROM analytics_runs WHERE status = 'done' ORDER BY finished_at DESC LIMIT 1)";

/** The ON clause joining `customer_values AS v` to the current run's row of `customerColumn`. */
export const valueJoinOn = (customerColumn: string): string =>
  `v.customer_id = ${customerColumn} AND v.run_id = ${CURRENT_RUN_SQL}`;

/** Value at stake of the joined row, null when the run did not value the customer. */
export const VALUE_AT_STAKE_SQL = '(v.clv_predicted * (1 - v.p_alive))';

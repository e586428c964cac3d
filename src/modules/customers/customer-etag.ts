import { createHash } from 'node:crypto';
import type { CustomerRow } from './customer-row';

/** The last run's tag: nearly every read names the current run, so it is hashed once per run. */
let lastRun: { id: string; tag: string } | null = null;

/** Twelve hex digits of the run id's hash: short, and two runs' tags practically never collide. */
function runTag(runId: string): string {
  if (lastRun?.id !== runId) {
    lastRun = { id: runId, tag: createHash('sha256').update(runId).digest('hex').slice(0, 12) };
  }
  return lastRun.tag;
}

/**
 * What a customer's ETag says besides the row's version: the representation also shows where
 * the customer stands (customer_lifecycle, whose version every recorded change bumps) and the
 * current run's figures (a run's snapshot never changes, so the run that valued the customer
 * names them). A churn a run finds or a new run's values therefore change the ETag, and a
 * cached copy is not answered 304 (http/etag.ts).
 *
 * A customer with neither a lifecycle row nor values has no derived part: its ETag stays the
 * plain `"v<version>"`.
 */
export function derivedTagOf(
  row: Pick<CustomerRow, 'lifecycle_version' | 'value_run_id'>,
): string | undefined {
  const lifecycle = Number(row.lifecycle_version ?? 0);
  if (lifecycle === 0 && !row.value_run_id) return undefined;
  const run = row.value_run_id ? runTag(row.value_run_id) : '0';
  return `${lifecycle}.${run}`;
}

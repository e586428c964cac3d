/** What a write did to one record: the same three words on every batch endpoint. */
export type Outcome = 'created' | 'updated' | 'unchanged';

/** One row of a batch's answer, in input order (docs/api.md "Bulk"). */
export interface BatchRowResult {
  index: number;
  id: string;
  externalId: string;
  outcome: Outcome;
}

/** A record's outcome from its state before (null: new) and after, compared as written. */
export function outcomeOf<S>(before: S | null, after: S): Outcome {
  if (before === null) return 'created';
  return JSON.stringify(before) === JSON.stringify(after) ? 'unchanged' : 'updated';
}

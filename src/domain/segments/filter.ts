/**
 * What a segment filter may name (docs/segments.md "Filters"): the parameters of the customer
 * list, less those that page or order it and `includeDeleted` (a deleted customer is never a
 * member), plus `cf.<field>` for a custom field.
 */
export const NOT_SEGMENT_FILTERS: readonly string[] = ['limit', 'cursor', 'sort', 'includeDeleted'];

export const CUSTOM_FIELD_FILTER = /^cf\.[A-Za-z0-9_]{1,64}$/;

/** The customer-list parameters a filter may use, from the list's own parameter names. */
export function segmentFilterKeys(listParameters: readonly string[]): Set<string> {
  return new Set(listParameters.filter((key) => !NOT_SEGMENT_FILTERS.includes(key)));
}

/** The keys of a filter that are no filter, in the order given. */
export function unknownFilterKeys(filter: Record<string, unknown>, known: ReadonlySet<string>): string[] {
  return Object.keys(filter).filter((key) => !known.has(key) && !CUSTOM_FIELD_FILTER.test(key));
}

export type MemberChange = 'entered' | 'left';

/** One row of a materialisation's changes, in (change, customerId) order: entered before left. */
export interface ChangeRow {
  change: MemberChange;
  customerId: string;
}

/**
 * A page of changes from rows read in (change, customerId) order, one more than the limit: the
 * entered ids, then the left ones, and where the next page starts (null on the last).
 */
export function changesPage(
  rows: readonly ChangeRow[],
  limit: number,
): { entered: string[]; left: string[]; next: ChangeRow | null } {
  const page = rows.slice(0, limit);
  return {
    entered: page.filter((r) => r.change === 'entered').map((r) => r.customerId),
    left: page.filter((r) => r.change === 'left').map((r) => r.customerId),
    next: rows.length > limit ? (page[page.length - 1] ?? null) : null,
  };
}

/** Who entered and who left between two memberships, each sorted (the reference the SQL is tested against). */
export function membershipDiff(
  before: Iterable<string>,
  after: Iterable<string>,
): { entered: string[]; left: string[] } {
  const was = new Set(before);
  const now = new Set(after);
  return {
    entered: [...now].filter((id) => !was.has(id)).sort(),
    left: [...was].filter((id) => !now.has(id)).sort(),
  };
}

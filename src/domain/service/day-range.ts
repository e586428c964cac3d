/**
 * A range of whole days from a query string (`from`, `to` as YYYY-MM-DD, both inclusive, in
 * UTC) as the half-open instant range [start, end) every filter compares timestamps with.
 */
export interface InstantRange {
  start?: Date;
  end?: Date;
}

const MS_PER_DAY = 86_400_000;

/** The instants of the days; undefined when `from` lies after `to` (the caller's 400). */
export function dayRange(from?: string, to?: string): InstantRange | undefined {
  if (from !== undefined && to !== undefined && from > to) return undefined;
  return {
    ...(from !== undefined ? { start: new Date(`${from}T00:00:00.000Z`) } : {}),
    ...(to !== undefined ? { end: new Date(new Date(`${to}T00:00:00.000Z`).getTime() + MS_PER_DAY) } : {}),
  };
}

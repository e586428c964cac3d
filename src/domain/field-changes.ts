/** One field an update changed, as events and the audit trail carry it. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** JSON with object keys sorted, so {a,b} and {b,a} compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** The fields whose values differ between two states of a record, in the order of `after`. */
export function fieldChanges<T extends object>(before: T | null, after: T): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, value] of Object.entries(after)) {
    const old = before ? (before as Record<string, unknown>)[field] : null;
    if (canonical(old ?? null) !== canonical(value ?? null))
      changes.push({ field, from: old ?? null, to: value ?? null });
  }
  return changes;
}

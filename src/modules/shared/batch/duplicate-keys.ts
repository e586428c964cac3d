import { batchRow, type RowErrors } from './row-errors';

/**
 * A batch upserts by its key (externalId, sku), so a second row with the same key would be
 * applied on top of the first inside one transaction: refused at the second row's key,
 * naming the row it repeats. The request alone decides it, so it is a 400.
 */
export function checkDuplicateKeys<T>(
  items: readonly T[],
  keyOf: (item: T) => string | null | undefined,
  field: string,
  errors: RowErrors,
): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (key === null || key === undefined) return;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else errors.add(batchRow(index), field, 'duplicate_in_batch', `repeats the ${field} of row ${first}`);
  });
}

import { UnprocessableError, type FieldError } from './http-errors';

/**
 * A batch upserts by externalId, so a second row with the same one would be applied on top of
 * the first inside one transaction: refused, naming every repeat and the row it repeats.
 */
export function assertUniqueExternalIds(
  items: ReadonlyArray<{ externalId: string }>,
  pathPrefix: string,
): void {
  const seen = new Map<string, number>();
  const duplicates: FieldError[] = [];
  items.forEach((item, index) => {
    const first = seen.get(item.externalId);
    if (first === undefined) seen.set(item.externalId, index);
    else
      duplicates.push({
        index,
        path: `${pathPrefix}${index}/externalId`,
        message: `repeats the externalId of row ${first}`,
      });
  });
  if (duplicates.length > 0) {
    throw new UnprocessableError(
      'duplicate_external_id',
      'Each externalId may appear once per batch.',
      duplicates,
    );
  }
}

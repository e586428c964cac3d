import { BadRequestError } from './http-errors';

/** Position after the last row of a page: the sort key's value and the id that breaks ties. */
export interface CursorPosition {
  sort: string;
  value: string | number | null;
  id: string;
}

/** Cursors are opaque to callers; inside, base64url JSON naming the sort they belong to. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.sort, position.value, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string, expectedSort: string): CursorPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[2] === 'string' &&
      (parsed[1] === null || typeof parsed[1] === 'string' || typeof parsed[1] === 'number')
    ) {
      if (parsed[0] !== expectedSort) {
        throw new BadRequestError('invalid_cursor.other_sort', {});
      }
      return { sort: parsed[0], value: parsed[1], id: parsed[2] };
    }
  } catch (error) {
    if (error instanceof BadRequestError) throw error;
  }
  throw new BadRequestError('invalid_cursor', {});
}

/**
 * Fetch limit + 1 rows; the extra row only says whether another page exists, and the cursor
 * points after the last row returned.
 */
export function pageFrom<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  positionOf: (row: Row) => CursorPosition,
): { data: Item[]; nextCursor: string | null } {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    data: pageRows.map(toItem),
    nextCursor: hasMore && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}

import { uuidv7 } from 'uuidv7';

/** Ids are made in the application (PostgreSQL 15 has no uuidv7()): time-ordered, opaque. */
export function newId(): string {
  return uuidv7();
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID names no record: answer 404 without asking the database. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/**
 * `npm run migration:new -- add_widgets`: creates migrations/<UTC YYYYMMDDHHMMSS>_add_widgets.ts, an
 * `up`/`down` skeleton whose bodies throw until they are written, and prints its path. The name must
 * be lower_snake_case. Knex runs migrations in name order, so the timestamp is now, or one second
 * after the newest existing migration when now is not later than it.
 *
 * It does not record the migration in migrations/checksums.txt: once it is final, record it with
 * `npm run migrations:check -- --record` (see scripts/check-migrations.ts) and commit both.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CHECKSUMS_FILE, SKELETON_MARKER, parseChecksums } from './check-migrations';

export const NAME_PATTERN = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** A date as a UTC YYYYMMDDHHMMSS timestamp. */
export function formatTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, '')
    .replace(/\D/g, '');
}

/** The date of a YYYYMMDDHHMMSS timestamp, or undefined when it is not a real UTC time. */
export function parseTimestamp(stamp: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(stamp);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day, hour, minute, second));
  return formatTimestamp(date) === stamp ? date : undefined;
}

/** Now, or one second after the newest of the existing migration names when now is not later. */
export function nextTimestamp(now: Date, existing: readonly string[]): string {
  const candidate = formatTimestamp(now);
  const newest = existing
    .map((file) => /^(\d{14})_/.exec(file)?.[1])
    .filter((stamp): stamp is string => stamp !== undefined)
    .sort()
    .at(-1);
  if (newest === undefined || candidate > newest) return candidate;
  const newestDate = parseTimestamp(newest);
  if (newestDate === undefined) {
    throw new Error(
      `the newest migration's timestamp ${newest} is not a valid UTC time; cannot date one after it`,
    );
  }
  return formatTimestamp(new Date(newestDate.getTime() + 1000));
}

export function migrationSkeleton(): string {
  return `import type { Knex } from 'knex';

// TODO: what this migration changes, and why. Once it is final, record it in
// migrations/${CHECKSUMS_FILE}: npm run migrations:check -- --record

export async function up(knex: Knex): Promise<void> {
  // e.g. await knex.schema.createTable('widgets', (t) => { ... });
  throw new Error('up() ${SKELETON_MARKER}');
}

export async function down(knex: Knex): Promise<void> {
  // Undo up(), in reverse order.
  throw new Error('down() ${SKELETON_MARKER}');
}
`;
}

/** Writes the skeleton of migration `name` into `dir` and returns its path. Never overwrites. */
export function createMigration(dir: string, name: string, now: Date = new Date()): string {
  if (!NAME_PATTERN.test(name)) {
    throw new Error(`migration name ${JSON.stringify(name)} is not lower_snake_case (e.g. add_widgets)`);
  }
  const existing = fs.readdirSync(dir);
  const checksumsPath = path.join(dir, CHECKSUMS_FILE);
  if (fs.existsSync(checksumsPath)) {
    // A recorded migration counts even if its file is gone: it is still in databases' history.
    existing.push(
      ...parseChecksums(fs.readFileSync(checksumsPath, 'utf8')).entries.map((entry) => entry.file),
    );
  }
  const baseName = `${nextTimestamp(now, existing)}_${name}`;
  const file = path.join(dir, `${baseName}.ts`);
  fs.writeFileSync(file, migrationSkeleton(), { flag: 'wx' });
  return file;
}

function main(argv: readonly string[]): number {
  if (argv.length !== 1 || argv[0] === undefined) {
    process.stderr.write('usage: npm run migration:new -- <lower_snake_case_name>\n');
    return 1;
  }
  try {
    const file = createMigration(path.resolve(__dirname, '../migrations'), argv[0]);
    process.stdout.write(`${path.relative(process.cwd(), file)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`migration:new: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

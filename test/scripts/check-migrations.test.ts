import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CHECKSUMS_FILE,
  type ChecksumEntry,
  type Problem,
  checkMigrations,
  formatChecksumLine,
  parseChecksums,
  recordChecksums,
  sha256,
} from '../../scripts/check-migrations';
import { createMigration, nextTimestamp } from '../../scripts/new-migration';

const MIGRATIONS: Record<string, string> = {
  '20261123000100_foundation.ts': 'export async function up(): Promise<void> {}\n// foundation\n',
  '20261123000200_customers.ts': 'export async function up(): Promise<void> {}\n// customers\n',
  '20261123001000_orders.ts': 'export async function up(): Promise<void> {}\n// orders\n',
};

let dir: string;
let listed: ChecksumEntry[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-migrations-'));
  for (const [file, content] of Object.entries(MIGRATIONS)) fs.writeFileSync(path.join(dir, file), content);
  listed = Object.entries(MIGRATIONS).map(([file, content]) => ({ file, sha256: sha256(content) }));
  fs.writeFileSync(path.join(dir, CHECKSUMS_FILE), listed.map(formatChecksumLine).join(''));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const kinds = (problems: Problem[]) => problems.map((problem) => [problem.kind, problem.file]);

test('an untouched set of recorded migrations passes', () => {
  expect(checkMigrations(dir, listed)).toEqual([]);
});

test('checksums.txt round-trips through parseChecksums, and a malformed line is a problem', () => {
  const text = fs.readFileSync(path.join(dir, CHECKSUMS_FILE), 'utf8');
  expect(parseChecksums(text)).toEqual({ entries: listed, problems: [] });
  const bad = parseChecksums(`${text}not a checksum line\n`);
  expect(bad.entries).toEqual(listed);
  expect(kinds(bad.problems)).toEqual([['malformed', `${CHECKSUMS_FILE}:4`]]);
});

test('an edited migration is a problem', () => {
  fs.appendFileSync(path.join(dir, '20261123000200_customers.ts'), '// one more line\n');
  const problems = checkMigrations(dir, listed);
  expect(kinds(problems)).toEqual([['edited', '20261123000200_customers.ts']]);
  expect(problems[0]?.message).toMatch(/was edited after it was recorded/);
});

test('a renamed migration is a problem', () => {
  fs.renameSync(path.join(dir, '20261123001000_orders.ts'), path.join(dir, '20261123001000_order_lines.ts'));
  const problems = checkMigrations(dir, listed);
  expect(kinds(problems)).toEqual([['renamed', '20261123001000_orders.ts']]);
  expect(problems[0]?.message).toMatch(/renamed to 20261123001000_order_lines\.ts/);
});

test('a missing migration is a problem', () => {
  fs.rmSync(path.join(dir, '20261123000100_foundation.ts'));
  const problems = checkMigrations(dir, listed);
  expect(kinds(problems)).toEqual([['missing', '20261123000100_foundation.ts']]);
  expect(problems[0]?.message).toMatch(/recorded in checksums\.txt but missing/);
});

test('a new migration dated before the newest recorded one is a problem', () => {
  fs.writeFileSync(path.join(dir, '20261123000500_late.ts'), 'export {};\n');
  const problems = checkMigrations(dir, listed);
  expect(kinds(problems)).toEqual([['out-of-order', '20261123000500_late.ts']]);
  expect(problems[0]?.message).toMatch(/not dated after 20261123001000_orders\.ts/);
});

test('a new, later migration is unlisted until recorded, and then passes', () => {
  const file = '20261201000000_widgets.ts';
  fs.writeFileSync(path.join(dir, file), 'export {};\n');
  const problems = checkMigrations(dir, listed);
  expect(kinds(problems)).toEqual([['unlisted', file]]);
  expect(problems[0]?.sha256).toBe(sha256('export {};\n'));

  recordChecksums(dir, [{ file, sha256: problems[0]!.sha256! }]);
  const { entries } = parseChecksums(fs.readFileSync(path.join(dir, CHECKSUMS_FILE), 'utf8'));
  expect(entries.map((entry) => entry.file)).toEqual([...Object.keys(MIGRATIONS), file]);
  expect(checkMigrations(dir, entries)).toEqual([]);
});

test('a file that is not a migration, and a migration:new skeleton, are problems', () => {
  fs.writeFileSync(path.join(dir, 'notes.md'), 'x\n');
  const skeleton = createMigration(dir, 'add_widgets', new Date('2026-12-01T09:30:00Z'));
  expect(path.basename(skeleton)).toBe('20261201093000_add_widgets.ts');
  expect(kinds(checkMigrations(dir, listed))).toEqual([
    ['not-a-migration', 'notes.md'],
    ['unwritten', '20261201093000_add_widgets.ts'],
  ]);
});

describe('migration:new', () => {
  test('dates a migration now, or one second after the newest when now is not later', () => {
    const existing = Object.keys(MIGRATIONS);
    expect(nextTimestamp(new Date('2026-12-01T09:30:05Z'), existing)).toBe('20261201093005');
    expect(nextTimestamp(new Date('2026-11-23T00:10:00Z'), existing)).toBe('20261123001001');
    expect(nextTimestamp(new Date('2026-01-01T00:00:00Z'), ['20261231235959_last.ts'])).toBe(
      '20270101000000',
    );
  });

  test('refuses a name that is not lower_snake_case', () => {
    for (const name of ['AddWidgets', 'add-widgets', '2fa_keys', 'add__widgets', '', 'add_widgets.ts']) {
      expect(() => createMigration(dir, name)).toThrow(/lower_snake_case/);
    }
    expect(fs.readdirSync(dir).sort()).toEqual([CHECKSUMS_FILE, ...Object.keys(MIGRATIONS)].sort());
  });
});

/**
 * `npm run migrations:check`: migrations are append-only. A migration that may already have run on
 * some database must never change, be renamed or disappear, and a new one must sort after every
 * recorded one (knex runs them in name order and knows them by name). migrations/checksums.txt lists
 * every recorded migration as `<sha256 hex>  <file name>` (the `sha256sum` format, so
 * `cd migrations && sha256sum -c checksums.txt` checks it too). This script fails, with one message
 * per problem, when
 *   - a recorded migration was edited (its hash differs) or renamed, or is missing;
 *   - a migration file is not recorded, or is dated before the newest recorded migration (databases
 *     that already ran the later ones would run it out of order);
 *   - a file in migrations/ is not a migration (knex would silently skip it).
 *
 * `npm run migration:new -- <name>` does NOT record the migration it creates: write it, and once it is
 * final record it with `npm run migrations:check -- --record`, which appends every unrecorded,
 * correctly dated migration to checksums.txt (never one still holding the skeleton's placeholder).
 * Commit checksums.txt together with the migration.
 *
 * Inside a git checkout with an `origin/main` or `main` ref, it also compares the migrations with
 * those at `git merge-base HEAD main`, which catches a migration edited on a branch together with its
 * checksum. That comparison is skipped, never failed, without git or a main ref, and on a detached
 * checkout of main itself.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const CHECKSUMS_FILE = 'checksums.txt';

/** What knex picks up (src/db/migration-source.ts): a 14-digit UTC timestamp, a name, .ts or .js. */
const MIGRATION_FILE = /^(\d{14})_.+\.(ts|js)$/;

/** Left in the bodies of a `migration:new` skeleton; --record refuses a file that still holds it. */
export const SKELETON_MARKER = 'is not written yet (migration:new skeleton)';

export interface ChecksumEntry {
  sha256: string;
  file: string;
}

export type ProblemKind =
  | 'malformed'
  | 'duplicate'
  | 'edited'
  | 'renamed'
  | 'missing'
  | 'unlisted'
  | 'unwritten'
  | 'out-of-order'
  | 'not-a-migration';

export interface Problem {
  kind: ProblemKind;
  file: string;
  message: string;
  /** For an `unlisted` file: its hash, to record. */
  sha256?: string;
}

export function sha256(content: Buffer | string): string {
  return crypto.createHash('sha256').update(content).digest('hex');
}

export function isMigrationFile(file: string): boolean {
  return MIGRATION_FILE.test(file) && !file.endsWith('.d.ts');
}

function timestampOf(file: string): string | undefined {
  return MIGRATION_FILE.exec(file)?.[1];
}

export function formatChecksumLine(entry: ChecksumEntry): string {
  return `${entry.sha256}  ${entry.file}\n`;
}

/** Reads checksums.txt text; a line that is not `<64 hex>  <file name>` is a problem, not an entry. */
export function parseChecksums(text: string): { entries: ChecksumEntry[]; problems: Problem[] } {
  const entries: ChecksumEntry[] = [];
  const problems: Problem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const match = /^([0-9a-f]{64}) {2}([^/\\]+)$/.exec(line);
    if (match?.[1] && match[2]) entries.push({ sha256: match[1], file: match[2] });
    else
      problems.push({
        kind: 'malformed',
        file: `${CHECKSUMS_FILE}:${index + 1}`,
        message: `${CHECKSUMS_FILE} line ${index + 1} is not "<sha256 hex>  <file name>": ${JSON.stringify(line)}`,
      });
  });
  return { entries, problems };
}

/** Every file of the directory except checksums.txt and dot files, sorted by name. */
function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.name !== CHECKSUMS_FILE && !entry.name.startsWith('.'))
    .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
    .sort();
}

/**
 * Compares the migrations in `dir` with the recorded checksums; an empty list means they agree.
 * Reads the directory and nothing else, and changes nothing.
 */
export function checkMigrations(dir: string, listed: readonly ChecksumEntry[]): Problem[] {
  const problems: Problem[] = [];
  const files = listFiles(dir);
  const migrations = files.filter(isMigrationFile);
  const hashes = new Map(migrations.map((file) => [file, sha256(fs.readFileSync(path.join(dir, file)))]));

  for (const file of files.filter((name) => !isMigrationFile(name))) {
    problems.push({
      kind: 'not-a-migration',
      file,
      message:
        `${file} is not a migration (YYYYMMDDHHMMSS_name.ts), so knex skips it: ` +
        'create migrations with npm run migration:new -- <name>, and keep other files out of migrations/',
    });
  }

  const recorded = new Map<string, string>();
  for (const entry of listed) {
    if (recorded.has(entry.file)) {
      problems.push({
        kind: 'duplicate',
        file: entry.file,
        message: `${entry.file} is listed more than once in ${CHECKSUMS_FILE}: keep its first line only`,
      });
    } else recorded.set(entry.file, entry.sha256);
  }

  const unlisted = migrations.filter((file) => !recorded.has(file));
  const renamedTo = new Set<string>();
  for (const [file, listedHash] of recorded) {
    const actual = hashes.get(file);
    if (actual === listedHash) continue;
    if (actual !== undefined) {
      problems.push({
        kind: 'edited',
        file,
        message:
          `${file} was edited after it was recorded (sha256 ${actual}, recorded ${listedHash}); ` +
          'databases that already ran it would never see the change: restore it and put the change ' +
          'in a new migration (npm run migration:new -- <name>)',
      });
      continue;
    }
    const newName = unlisted.find((other) => !renamedTo.has(other) && hashes.get(other) === listedHash);
    if (newName !== undefined) {
      renamedTo.add(newName);
      problems.push({
        kind: 'renamed',
        file,
        message:
          `${file} was renamed to ${newName}; knex knows migrations by name, so databases that ` +
          `already ran it would run it again: restore the name ${file}`,
      });
    } else {
      problems.push({
        kind: 'missing',
        file,
        message:
          `${file} is recorded in ${CHECKSUMS_FILE} but missing (removed or renamed); databases that ` +
          'already ran it would have an unknown migration in their history: restore it',
      });
    }
  }

  const newest = [...recorded.keys()]
    .map(timestampOf)
    .filter((stamp): stamp is string => stamp !== undefined)
    .sort()
    .at(-1);
  const newestFile = [...recorded.keys()].filter((file) => timestampOf(file) === newest).sort()[0];
  for (const file of unlisted) {
    if (renamedTo.has(file)) continue;
    const stamp = timestampOf(file) ?? '';
    if (newest !== undefined && stamp <= newest) {
      problems.push({
        kind: 'out-of-order',
        file,
        message:
          `${file} is not dated after ${newestFile}, the newest recorded migration; databases that ` +
          'already ran that one would run this one out of order: recreate it under a new timestamp ' +
          '(npm run migration:new -- <name>) and move its contents there',
      });
    } else if (fs.readFileSync(path.join(dir, file), 'utf8').includes(SKELETON_MARKER)) {
      problems.push({
        kind: 'unwritten',
        file,
        message: `${file} is not recorded in ${CHECKSUMS_FILE} and is still the migration:new skeleton: write it, then record it with npm run migrations:check -- --record`,
      });
    } else {
      problems.push({
        kind: 'unlisted',
        file,
        sha256: hashes.get(file),
        message: `${file} is not recorded in ${CHECKSUMS_FILE}: once it is final, record it with npm run migrations:check -- --record`,
      });
    }
  }
  return problems;
}

/** Appends the given entries to checksums.txt (creating it), after a newline if the file lacks one. */
export function recordChecksums(dir: string, entries: readonly ChecksumEntry[]): void {
  if (entries.length === 0) return;
  const target = path.join(dir, CHECKSUMS_FILE);
  const before = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  const separator = before === '' || before.endsWith('\n') ? '' : '\n';
  fs.appendFileSync(target, separator + entries.map(formatChecksumLine).join(''));
}

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024,
  }).trim();
}

function gitRef(cwd: string, ref: string): string | undefined {
  try {
    return git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Optional: compares the migrations in `dir` with those at the merge base of HEAD and main
 * (origin/main, else main). Only reads the repository. `skipped` tells why no comparison was made;
 * any git failure skips, never fails.
 */
export function checkAgainstMain(dir: string): { problems: Problem[]; base?: string; skipped?: string } {
  let top: string;
  try {
    top = git(dir, ['rev-parse', '--show-toplevel']);
  } catch {
    return { problems: [], skipped: 'not a git checkout, or git is not installed' };
  }
  try {
    const ref = ['origin/main', 'main'].find((name) => gitRef(top, name) !== undefined);
    if (ref === undefined) return { problems: [], skipped: 'no origin/main or main ref' };
    const head = gitRef(top, 'HEAD');
    if (head === undefined) return { problems: [], skipped: 'no commit at HEAD' };
    let detached = false;
    try {
      git(top, ['symbolic-ref', '--quiet', 'HEAD']);
    } catch {
      detached = true;
    }
    if (detached && head === gitRef(top, ref)) {
      return { problems: [], skipped: `detached checkout of ${ref} itself` };
    }
    const base = git(top, ['merge-base', 'HEAD', ref]);
    const prefix = path.relative(fs.realpathSync(top), fs.realpathSync(dir)).split(path.sep).join('/');
    const listing = git(top, ['ls-tree', '-z', '--name-only', '--full-name', base, '--', `${prefix}/`]);
    const problems: Problem[] = [];
    for (const repoPath of listing.split('\0').filter(Boolean)) {
      const file = path.posix.basename(repoPath);
      if (!isMigrationFile(file)) continue;
      const onMain = sha256(
        execFileSync('git', ['cat-file', '--filters', `${base}:${repoPath}`], {
          cwd: top,
          stdio: ['ignore', 'pipe', 'ignore'],
          maxBuffer: 64 * 1024 * 1024,
        }),
      );
      const local = path.join(dir, file);
      const short = base.slice(0, 12);
      if (!fs.existsSync(local)) {
        problems.push({
          kind: 'missing',
          file,
          message: `${file} is on ${ref} (merge base ${short}) but missing here (removed or renamed): restore it`,
        });
      } else if (sha256(fs.readFileSync(local)) !== onMain) {
        problems.push({
          kind: 'edited',
          file,
          message:
            `${file} differs from its version on ${ref} (merge base ${short}), even if ${CHECKSUMS_FILE} ` +
            'was updated with it: restore it and put the change in a new migration',
        });
      }
    }
    return { problems, base: `${ref} at ${base.slice(0, 12)}` };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { problems: [], skipped: `git unavailable or failed (${reason})` };
  }
}

function main(argv: readonly string[]): number {
  const unknown = argv.filter((arg) => arg !== '--record');
  if (unknown.length > 0) {
    process.stderr.write(`usage: npm run migrations:check [-- --record]; unknown: ${unknown.join(' ')}\n`);
    return 1;
  }
  const record = argv.includes('--record');
  const dir = path.resolve(__dirname, '../migrations');
  const checksumsPath = path.join(dir, CHECKSUMS_FILE);
  const problems: Problem[] = [];
  let entries: ChecksumEntry[] = [];
  if (fs.existsSync(checksumsPath)) {
    const parsed = parseChecksums(fs.readFileSync(checksumsPath, 'utf8'));
    entries = parsed.entries;
    problems.push(...parsed.problems);
  } else if (!record) {
    problems.push({
      kind: 'missing',
      file: CHECKSUMS_FILE,
      message: `migrations/${CHECKSUMS_FILE} is missing: restore it (--record would start a new one)`,
    });
  }
  problems.push(...checkMigrations(dir, entries));

  if (record) {
    const toRecord = problems.filter(
      (problem) => problem.kind === 'unlisted' && problem.sha256 !== undefined,
    );
    recordChecksums(
      dir,
      toRecord.map((problem) => ({ file: problem.file, sha256: problem.sha256 as string })),
    );
    for (const problem of toRecord) {
      process.stdout.write(`recorded ${problem.file} in migrations/${CHECKSUMS_FILE}\n`);
      problems.splice(problems.indexOf(problem), 1);
    }
  }

  const againstMain = checkAgainstMain(dir);
  const reported = new Set(problems.map((problem) => problem.file));
  problems.push(...againstMain.problems.filter((problem) => !reported.has(problem.file)));

  for (const problem of problems) process.stderr.write(`migrations: ${problem.message}\n`);
  const gitNote = againstMain.base
    ? `also compared with ${againstMain.base}`
    : `git comparison skipped: ${againstMain.skipped}`;
  if (problems.length > 0) {
    process.stderr.write(`migrations:check failed with ${problems.length} problem(s) (${gitNote})\n`);
    return 1;
  }
  const count = fs.readdirSync(dir).filter(isMigrationFile).length;
  process.stdout.write(
    `migrations:check: ${count} migrations match migrations/${CHECKSUMS_FILE} (${gitNote})\n`,
  );
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

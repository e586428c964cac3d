import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_KEY, createTestApp, type TestApp } from '../helpers/test-app';
import { runnable, shellStatements, type ShellStatement } from './readme-shell';

/**
 * Every curl line of README.md, run in order by one bash against a started server on a fresh
 * database, as a newcomer would paste them: CRM and ADMIN are set as the walk-through's first
 * line says, the shell variables carry ids from one call to the next. Each call must answer the
 * status its comment names (`# 412 ...`), else a 2xx. The README cannot drift from the API.
 */
const ROOT = path.resolve(__dirname, '../..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

// The walk-through's sample orders are dated up to 2026-10-25 and its run is as of 2026-11-01;
// a clock earlier than that would refuse them as future dates, so time starts there at least.
const EARLIEST = Date.parse('2026-11-02T09:00:00Z');
const offset = Math.max(0, EARLIEST - Date.now());
const clock = () => new Date(Date.now() + offset);

// curl's -w output goes to stderr, so `X=$(curl ...)`, pipes and redirections keep working.
const PRELUDE = `curl() { command curl -w '%{stderr}\\nREADME_STATUS %{http_code}\\n' "$@"; }\n`;

let t: TestApp;
let url: string;
let workDir: string;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  // A directory of its own for what the commands write (customers.csv), with the examples.
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-readme-'));
  fs.symlinkSync(path.join(ROOT, 'examples'), path.join(workDir, 'examples'));
});

afterAll(async () => {
  await t?.close();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

function bash(script: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', script],
      {
        cwd: workDir,
        env: { ...process.env, CRM: url, ADMIN: ADMIN_KEY },
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (_error, stdout, stderr) => resolve({ stdout, stderr }),
    );
  });
}

/** The statuses each step's curl calls answered, by step. */
function statusesByStep(stderr: string): Map<number, number[]> {
  const byStep = new Map<number, number[]>();
  let step = -1;
  for (const line of stderr.split('\n')) {
    const marker = /^README_STEP (\d+)$/.exec(line);
    if (marker) step = Number(marker[1]);
    const status = /^README_STATUS (\d{3})$/.exec(line);
    if (status) byStep.set(step, [...(byStep.get(step) ?? []), Number(status[1])]);
  }
  return byStep;
}

function expectationOf(statement: ShellStatement): string {
  return statement.expectedStatus ? String(statement.expectedStatus) : '2xx';
}

test('every curl line of the README answers what it says', async () => {
  const statements = shellStatements(README).filter(runnable);
  const curls = statements.filter((s) => /curl\s/.test(s.text));
  // The walk-through, large loads and the value section: a parser that found none would pass.
  expect(curls.length).toBeGreaterThanOrEqual(20);

  const script =
    PRELUDE +
    statements.map((s, i) => `echo "README_STEP ${i}" >&2\n${s.text}\n`).join('') +
    `echo "README_STEP ${statements.length}" >&2\n`;
  const { stderr } = await bash(script);
  const byStep = statusesByStep(stderr);

  const wrong: string[] = [];
  statements.forEach((statement, i) => {
    if (!/curl\s/.test(statement.text)) return;
    const statuses = byStep.get(i) ?? [];
    if (statuses.length === 0) wrong.push(`README.md:${statement.line} made no HTTP call`);
    for (const status of statuses) {
      const ok = statement.expectedStatus
        ? status === statement.expectedStatus
        : status >= 200 && status < 300;
      if (!ok)
        wrong.push(`README.md:${statement.line} answered ${status}, expected ${expectationOf(statement)}`);
    }
  });
  if (!stderr.includes(`README_STEP ${statements.length}\n`))
    wrong.push(`the script stopped early:\n${stderr}`);
  expect(wrong).toEqual([]);
  // What the commands wrote is what the README says they write.
  expect(fs.readFileSync(path.join(workDir, 'customers.csv'), 'utf8')).toMatch(/Ada Lovelace/);
});

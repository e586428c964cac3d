import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { lockDataDir } from '../../src/db/data-dir-lock';

/**
 * `npm run key` on the embedded database, as a user who lost the admin key would run it: in a
 * process of its own, against DATA_DIR, while no server holds it.
 */
const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

let dataDir: string;

async function key(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // The embedded database even when the suite runs on a server.
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_OPTIONS: '' };
  delete env.DATABASE_URL;
  try {
    const { stdout, stderr } = await run(TSX, ['scripts/key.ts', ...args], { cwd: ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-key-'));
});

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('creates an admin key printed once, lists it and revokes it', async () => {
  const created = await key('create', '--admin', '--name', 'ops');
  expect(created.code).toBe(0);
  expect(created.stdout).toMatch(/"ops" with admin/);
  const secret = /\n {2}(crm_\S+)\n/.exec(created.stdout)?.[1];
  expect(secret).toBeDefined();
  const id = /Created key (\S+)/.exec(created.stdout)![1]!;

  const listed = await key('list');
  expect(listed.stdout).toContain(id);
  expect(listed.stdout).toContain('active');
  expect(listed.stdout).not.toContain(secret!);

  const revoked = await key('revoke', id);
  expect(revoked.code).toBe(0);
  expect(revoked.stdout).toMatch(/revoked \d{4}-/);
});

test('refuses with a message, not a stack, while another process holds the data directory', async () => {
  const release = lockDataDir(dataDir);
  try {
    const refused = await key('list');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`is open in process ${process.pid}`);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  } finally {
    release();
  }
});

test('explains its usage on a mistake', async () => {
  const wrong = await key('create', '--scopes', 'orders:write,nonsense');
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toContain('Unknown scope nonsense');
  expect(wrong.stderr).toContain('create --admin');
});

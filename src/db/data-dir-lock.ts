import fs from 'node:fs';
import path from 'node:path';

const LOCK_FILE = 'crm.pid';

/** The embedded database's directory is in use by another live process. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is open in process ${pid} (a running server?). ` +
        'PGlite lets only one process open its data directory at a time: stop that process first, ' +
        'or use its HTTP API instead.',
    );
    this.name = 'DataDirLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims DATA_DIR for this process with a pid file. PGlite itself takes no lock, and two
 * processes writing one data directory would corrupt it, so a second server, or `npm run key`
 * while the server runs, is refused with a clear message instead. A file left by a process that
 * died (or by an earlier container whose pid was the same as ours) is taken over. Answers the
 * release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    if (Number.isInteger(holder) && holder !== process.pid && alive(holder))
      throw new DataDirLockedError(dataDir, holder);
    fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not claim ${file}; is another process starting on ${dataDir}?`);
}

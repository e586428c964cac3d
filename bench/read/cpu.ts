import fs from 'node:fs';
import pg from 'pg';

/**
 * CPU time spent by a process, from /proc (Linux): user plus system, in seconds. On the shared
 * machine requests per second move with everyone else's load; CPU per request moves far less,
 * so the script prints both.
 */
export function cpuSeconds(pid: number): number {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

/** User and system CPU seconds of a process (zero when it has gone). */
export function cpuTimes(pid: number): { user: number; system: number } {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; in ticks of 1/100 s.
    return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
  } catch {
    return { user: 0, system: 0 };
  }
}

/** The PostgreSQL backends serving one database, and the CPU they have used so far. */
export class BackendCpu {
  private constructor(private readonly client: pg.Client) {}

  static async open(databaseUrl: string): Promise<BackendCpu> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    return new BackendCpu(client);
  }

  /** CPU seconds by backend pid (this watcher's own backend left out). */
  async sample(): Promise<Map<number, number>> {
    const { rows } = await this.client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid)]));
  }

  /** CPU the backends used between two samples; a backend started in between counts whole. */
  static spent(before: Map<number, number>, after: Map<number, number>): number {
    let total = 0;
    for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
    return total;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

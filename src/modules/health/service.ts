import type { Knex } from 'knex';
import { migrationsAreCurrent } from '../../db/migration-source';

/** ready: the database answers and every migration is applied. */
export type Readiness = 'ready' | 'database_unavailable' | 'migrations_pending';

/** Whether the service can take requests. */
export class HealthService {
  constructor(private readonly knex: Knex) {}

  async readiness(): Promise<Readiness> {
    try {
      await this.knex.raw('select 1');
    } catch {
      return 'database_unavailable';
    }
    try {
      return (await migrationsAreCurrent(this.knex)) ? 'ready' : 'migrations_pending';
    } catch {
      return 'database_unavailable';
    }
  }
}

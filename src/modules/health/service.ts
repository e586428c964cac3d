import type { Knex } from 'knex';
import { migrationsAreCurrent } from '../../db/migration-source';

/** Whether the service can take requests: the database answers and every migration is applied. */
export class HealthService {
  constructor(private readonly knex: Knex) {}

  async ready(): Promise<boolean> {
    try {
      await this.knex.raw('select 1');
      return await migrationsAreCurrent(this.knex);
    } catch {
      return false;
    }
  }
}

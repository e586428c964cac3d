import type { Knex } from 'knex';

export interface ApiKeyRow {
  id: string;
  name: string;
  key_prefix: string;
  key_hash: string;
  scopes: string[];
  created_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

const PUBLIC_COLUMNS = ['id', 'name', 'key_prefix', 'scopes', 'created_by', 'created_at', 'revoked_at'];

export class ApiKeyRepository {
  constructor(private readonly knex: Knex) {}

  async insert(
    row: Omit<ApiKeyRow, 'created_at' | 'revoked_at'>,
    trx?: Knex.Transaction,
  ): Promise<ApiKeyRow> {
    const [created] = await (trx ?? this.knex)('api_keys').insert(row).returning('*');
    return created as ApiKeyRow;
  }

  async findActiveByHash(hash: string): Promise<ApiKeyRow | undefined> {
    return this.knex('api_keys').where({ key_hash: hash }).whereNull('revoked_at').first();
  }

  async findById(id: string): Promise<ApiKeyRow | undefined> {
    return this.knex('api_keys').select(PUBLIC_COLUMNS).where({ id }).first();
  }

  async list(limit: number, afterId?: string): Promise<ApiKeyRow[]> {
    const query = this.knex('api_keys').select(PUBLIC_COLUMNS).orderBy('id').limit(limit);
    if (afterId) query.where('id', '>', afterId);
    return query;
  }

  async revoke(id: string, at: Date): Promise<ApiKeyRow | undefined> {
    const [row] = await this.knex('api_keys')
      .where({ id })
      .update({ revoked_at: this.knex.raw('COALESCE(revoked_at, ?)', [at]) })
      .returning(PUBLIC_COLUMNS);
    return row as ApiKeyRow | undefined;
  }

  async hasActiveAdmin(): Promise<boolean> {
    const row = await this.knex('api_keys')
      .whereNull('revoked_at')
      .whereRaw("'admin' = ANY(scopes)")
      .first('id');
    return Boolean(row);
  }
}

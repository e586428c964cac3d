import type { Knex } from 'knex';

export interface IdempotencyRecord {
  api_key_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  state: 'in_flight' | 'done';
  /** The instance key of the process working on an in-flight claim (src/db/instance-lease.ts). */
  owner_instance: number | null;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  created_at: Date;
  expires_at: Date;
}

/** Idempotency keys live in the database so replays survive a restart. */
export class IdempotencyRepository {
  constructor(private readonly knex: Knex) {}

  /** Claims the key; false when a record for it already exists. */
  async claim(
    record: Pick<
      IdempotencyRecord,
      'api_key_id' | 'key' | 'method' | 'path' | 'request_hash' | 'owner_instance'
    >,
    now: Date,
    expiresAt: Date,
  ): Promise<boolean> {
    const rows = await this.knex('idempotency_keys')
      .insert({ ...record, state: 'in_flight', created_at: now, expires_at: expiresAt })
      .onConflict(['api_key_id', 'key'])
      .ignore()
      .returning('key');
    return rows.length === 1;
  }

  async find(apiKeyId: string, key: string): Promise<IdempotencyRecord | undefined> {
    return this.knex('idempotency_keys').where({ api_key_id: apiKeyId, key }).first();
  }

  /**
   * Takes over a record whose holder expired or died mid-request: a compare-and-set on what was
   * read, so of two retries racing for one dead claim only one wins.
   */
  async takeOver(
    old: IdempotencyRecord,
    requestHash: string,
    owner: number,
    now: Date,
    expiresAt: Date,
  ): Promise<boolean> {
    const count = await this.knex('idempotency_keys')
      .where({ api_key_id: old.api_key_id, key: old.key, created_at: old.created_at, state: old.state })
      .update({
        state: 'in_flight',
        owner_instance: owner,
        request_hash: requestHash,
        response_status: null,
        response_headers: null,
        response_body: null,
        created_at: now,
        expires_at: expiresAt,
      });
    return count === 1;
  }

  async complete(
    apiKeyId: string,
    key: string,
    status: number,
    headers: Record<string, string>,
    body: string,
  ): Promise<void> {
    await this.knex('idempotency_keys').where({ api_key_id: apiKeyId, key }).update({
      state: 'done',
      owner_instance: null,
      response_status: status,
      response_headers: headers,
      response_body: body,
    });
  }

  async release(apiKeyId: string, key: string): Promise<void> {
    await this.knex('idempotency_keys').where({ api_key_id: apiKeyId, key, state: 'in_flight' }).delete();
  }

  async deleteExpired(now: Date): Promise<number> {
    return this.knex('idempotency_keys').where('expires_at', '<', now).delete();
  }
}

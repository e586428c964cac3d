import type { FastifyBaseLogger } from 'fastify';
import { LRUCache } from 'lru-cache';
import { newId, isUuid } from '../../db/ids';
import { NotFoundError } from '../../http/http-errors';
import { displayPrefix, generateApiKeySecret, hashApiKeySecret } from './api-key-secret';
import type { ApiKeyRepository, ApiKeyRow } from './repository';

import type { Principal } from '../../http/principal';

export type { Principal };

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
}

export function toApiKeyView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.key_prefix,
    scopes: row.scopes,
    createdAt: new Date(row.created_at).toISOString(),
    revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
  };
}

export class ApiKeyService {
  // Verified keys (and misses) are kept briefly so auth costs no round trip on most
  // requests; the TTL bounds how long a revoked key keeps working in other processes.
  private readonly cache: LRUCache<string, Principal | false> | undefined;

  constructor(
    private readonly repository: ApiKeyRepository,
    private readonly clock: () => Date,
    cacheTtlMs: number,
  ) {
    this.cache = cacheTtlMs > 0 ? new LRUCache({ max: 10000, ttl: cacheTtlMs }) : undefined;
  }

  async authenticate(secret: string): Promise<Principal | undefined> {
    const hash = hashApiKeySecret(secret);
    const cached = this.cache?.get(hash);
    if (cached !== undefined) return cached || undefined;
    const row = await this.repository.findActiveByHash(hash);
    const principal: Principal | false = row ? { id: row.id, name: row.name, scopes: row.scopes } : false;
    this.cache?.set(hash, principal);
    return principal || undefined;
  }

  async create(
    name: string,
    scopes: string[],
    createdBy: string | null,
  ): Promise<{ view: ApiKeyView; key: string }> {
    const key = generateApiKeySecret();
    const row = await this.repository.insert({
      id: newId(),
      name,
      key_prefix: displayPrefix(key),
      key_hash: hashApiKeySecret(key),
      scopes: [...new Set(scopes)],
      created_by: createdBy,
    });
    return { view: toApiKeyView(row), key };
  }

  async get(id: string): Promise<ApiKeyView> {
    const row = isUuid(id) ? await this.repository.findById(id) : undefined;
    if (!row) throw new NotFoundError('api_key_not_found', { id });
    return toApiKeyView(row);
  }

  async list(limit: number, afterId?: string): Promise<ApiKeyView[]> {
    return (await this.repository.list(limit, afterId)).map(toApiKeyView);
  }

  async revoke(id: string): Promise<ApiKeyView> {
    const row = isUuid(id) ? await this.repository.revoke(id, this.clock()) : undefined;
    if (!row) throw new NotFoundError('api_key_not_found', { id });
    // This process forgets the key at once; others within the cache TTL.
    this.cache?.clear();
    return toApiKeyView(row);
  }

  /**
   * Makes sure an admin key exists: the configured bootstrap secret, or a fresh one that is
   * printed once. Does nothing while any active admin key exists.
   */
  async ensureBootstrapKey(
    configured: string | undefined,
    log: FastifyBaseLogger,
  ): Promise<string | undefined> {
    if (await this.repository.hasActiveAdmin()) return undefined;
    const key = configured ?? generateApiKeySecret();
    await this.repository.insert({
      id: newId(),
      name: 'bootstrap admin',
      key_prefix: displayPrefix(key),
      key_hash: hashApiKeySecret(key),
      scopes: ['admin'],
      created_by: null,
    });
    if (configured) {
      log.info('BOOTSTRAP_API_KEY installed as the first admin key');
    } else {
      // Printed to stdout, not the log stream, so the secret does not end up in log storage.
      process.stdout.write(
        `\nNo admin API key existed, so one was created. It is shown only now:\n\n  ${key}\n\n` +
          'Use it as "Authorization: Bearer <key>" and create narrower keys with POST /v1/api-keys.\n\n',
      );
    }
    return key;
  }
}

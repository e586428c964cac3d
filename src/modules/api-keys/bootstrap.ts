import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import { ApiKeyRepository } from './repository';
import { ApiKeyService } from './service';

/**
 * Makes sure an admin key exists before the server takes requests: BOOTSTRAP_API_KEY when
 * set, else a generated key printed once (README "Quick start").
 */
export async function ensureBootstrapKey(
  knex: Knex,
  bootstrapKey: string | undefined,
  log: FastifyBaseLogger,
): Promise<void> {
  const apiKeys = new ApiKeyService(new ApiKeyRepository(knex), () => new Date(), 0);
  await apiKeys.ensureBootstrapKey(bootstrapKey, log);
}

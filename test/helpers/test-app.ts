import type { FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { buildApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import type { Database } from '../../src/db/create-database';
import { ApiKeyRepository } from '../../src/modules/api-keys/repository';
import { ApiKeyService } from '../../src/modules/api-keys/service';
import { createTestDatabase } from './test-database';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  http: () => supertest.Agent;
  /** Supertest agent with the admin key set. */
  admin: () => supertest.Agent;
  /** Creates a key with the given scopes and answers its secret. */
  keyWith: (...scopes: string[]) => Promise<string>;
  close: () => Promise<void>;
}

export async function createTestApp(
  overrides: Record<string, string> = {},
  options: { clock?: () => Date } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  const config: Config = loadConfig({ LOG_LEVEL: 'silent', BOOTSTRAP_API_KEY: ADMIN_KEY, ...overrides });
  let app: FastifyInstance;
  try {
    app = await buildApp({ config, db, logger: false, clock: options.clock });
    await new ApiKeyService(new ApiKeyRepository(db.knex), () => new Date(), 0).ensureBootstrapKey(
      config.BOOTSTRAP_API_KEY,
      app.log,
    );
    await app.ready();
  } catch (error) {
    await db.close();
    throw error;
  }
  const http = () => supertest.agent(app.server);
  return {
    app,
    db,
    http,
    admin: () => supertest.agent(app.server).set('authorization', `Bearer ${ADMIN_KEY}`),
    keyWith: async (...scopes: string[]) => {
      const response = await supertest(app.server)
        .post('/v1/api-keys')
        .set('authorization', `Bearer ${ADMIN_KEY}`)
        .send({ name: `test ${scopes.join(' ')}`, scopes });
      if (response.status !== 201) throw new Error(`key creation failed: ${response.status} ${response.text}`);
      return response.body.key as string;
    },
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

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
  /** Supertest agent with the given key set. */
  as: (key: string) => supertest.Agent;
  /** Creates a key with the given scopes and answers its secret. */
  keyWith: (...scopes: string[]) => Promise<string>;
  close: () => Promise<void>;
}

export interface TestAppOptions {
  clock?: () => Date;
}

/**
 * An app on an existing database, as a second process or a restarted server would see it.
 * `close` closes only the app: the database belongs to whoever made it.
 */
export async function createTestAppOn(
  db: Database,
  overrides: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  // The webhook worker polls the database; only the webhook tests, which turn it on, need it.
  const config: Config = loadConfig({
    LOG_LEVEL: 'silent',
    BOOTSTRAP_API_KEY: ADMIN_KEY,
    WEBHOOK_WORKER: 'false',
    ...overrides,
  });
  const app = await buildApp({ config, db, logger: false, clock: options.clock });
  try {
    await new ApiKeyService(new ApiKeyRepository(db.knex), () => new Date(), 0).ensureBootstrapKey(
      config.BOOTSTRAP_API_KEY,
      app.log,
    );
    await app.ready();
  } catch (error) {
    await app.close();
    throw error;
  }
  const as = (key: string) => supertest.agent(app.server).set('authorization', `Bearer ${key}`);
  return {
    app,
    db,
    http: () => supertest.agent(app.server),
    admin: () => as(ADMIN_KEY),
    as,
    keyWith: async (...scopes: string[]) => {
      const response = await as(ADMIN_KEY)
        .post('/v1/api-keys')
        .send({ name: `test ${scopes.join(' ')}`, scopes });
      if (response.status !== 201)
        throw new Error(`key creation failed: ${response.status} ${response.text}`);
      return response.body.key as string;
    },
    close: () => app.close(),
  };
}

/** An app on a fresh database of its own; `close` closes both. */
export async function createTestApp(
  overrides: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  let t: TestApp;
  try {
    t = await createTestAppOn(db, overrides, options);
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    ...t,
    close: async () => {
      await t.close();
      await db.close();
    },
  };
}

import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createDatabase } from '../src/db/create-database';

/**
 * The OpenAPI document as the app generates it. Built on a throw-away in-memory database
 * with default settings, so the document does not depend on the caller's environment.
 */
export async function generateOpenApiDocument(): Promise<Record<string, unknown>> {
  const db = await createDatabase({});
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), db, logger: false });
  try {
    await app.ready();
    return JSON.parse(JSON.stringify(app.swagger())) as Record<string, unknown>;
  } finally {
    await app.close();
    await db.close();
  }
}

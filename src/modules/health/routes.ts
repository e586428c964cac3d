import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HealthService } from './service';
import { HttpError } from '../../http/http-errors';
import { databaseUnavailable } from '../../http/translate-database-error';
import { publicErrorResponses, success } from '../../schemas/common';

export interface HealthRoutesOptions {
  health: HealthService;
}

const Status = Type.Object({ status: Type.String({ example: 'ok' }) });

const healthRoutes: FastifyPluginAsyncTypebox<HealthRoutesOptions> = async (app, { health }) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        operationId: 'health',
        summary: 'The process is up',
        tags: ['operations'],
        security: [],
        response: { 200: success(Status, 'The process is up.'), ...publicErrorResponses() },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        operationId: 'ready',
        summary: 'The database is reachable and migrated',
        tags: ['operations'],
        security: [],
        response: {
          200: success(Status, 'The database is reachable and every migration is applied.'),
          ...publicErrorResponses('database_unavailable', 'not_ready'),
        },
      },
    },
    async () => {
      const readiness = await health.readiness();
      // The same answer a request gets while the database is down, so a balancer and a caller see one code.
      if (readiness === 'database_unavailable') throw databaseUnavailable();
      if (readiness === 'migrations_pending') {
        throw new HttpError(503, 'not_ready', {});
      }
      return { status: 'ok' };
    },
  );
};

export default healthRoutes;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HealthService } from './service';
import { HttpError } from '../../http/http-errors';
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
          ...publicErrorResponses('not_ready'),
        },
      },
    },
    async () => {
      if (!(await health.ready())) {
        throw new HttpError(
          503,
          'not_ready',
          'Service unavailable',
          'The database is unreachable or not migrated.',
        );
      }
      return { status: 'ok' };
    },
  );
};

export default healthRoutes;

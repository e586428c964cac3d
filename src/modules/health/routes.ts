import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import { migrationsAreCurrent } from '../../db/migration-source';
import { HttpError } from '../../http/http-errors';
import { publicErrorResponses } from '../../schemas/common';

export interface HealthRoutesOptions {
  knex: Knex;
}

const Status = Type.Object({ status: Type.String({ example: 'ok' }) });

const healthRoutes: FastifyPluginAsyncTypebox<HealthRoutesOptions> = async (app, { knex }) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        operationId: 'health',
        summary: 'The process is up',
        tags: ['operations'],
        security: [],
        response: { 200: Status, ...publicErrorResponses() },
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
        response: { 200: Status, ...publicErrorResponses(503) },
      },
    },
    async () => {
      try {
        await knex.raw('select 1');
        if (!(await migrationsAreCurrent(knex))) throw new Error('pending migrations');
      } catch {
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

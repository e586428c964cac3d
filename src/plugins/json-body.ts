import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Fastify's JSON parser, except that an empty body on a route that takes none (DELETE,
 * POST .../restore) counts as no body: many HTTP clients send `Content-Type: application/json`
 * on every request. A route with a body schema still answers 400 `empty_body`. The parser keeps
 * Fastify's refusal of `__proto__` and `constructor.prototype` keys.
 */
async function jsonBodyPlugin(app: FastifyInstance): Promise<void> {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, raw, done) => {
    const body = raw as string; // parseAs: 'string'
    if (body.length === 0 && request.routeOptions.schema?.body === undefined) {
      done(null, undefined);
      return;
    }
    parseJson(request, body, done);
  });
}

export default fp(jsonBodyPlugin, { name: 'json-body' });

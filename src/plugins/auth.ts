import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiKeyService, Principal } from '../modules/api-keys/service';
import { ForbiddenError, UnauthorizedError } from './http-errors';
import './route-config';
import { hasScope } from './scopes';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface AuthOptions {
  apiKeys: ApiKeyService;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Every route needs `Authorization: Bearer <key>` unless its config says `public`, and the key
 * must carry the route's `scope`. Runs at onRequest, before the body is read, so an
 * unauthenticated caller cannot make the server parse a large body.
 */
async function authPlugin(app: FastifyInstance, options: AuthOptions): Promise<void> {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const url = request.routeOptions.url;
    // Swagger UI's own routes (/docs/...) are registered by its plugin and are public.
    if (config.public || !url || url === '/docs' || url.startsWith('/docs/')) return;
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match?.[1]) throw new UnauthorizedError();
    const principal = await options.apiKeys.authenticate(match[1]);
    if (!principal) throw new UnauthorizedError('The API key is unknown or has been revoked.');
    request.principal = principal;
    if (config.scope && !hasScope(principal.scopes, config.scope)) throw new ForbiddenError(config.scope);
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['error-handler'] });

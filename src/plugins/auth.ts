import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Authenticator, Principal } from '../http/principal';
import { AuthFailureLimiter } from './auth-failures';
import type { SharedWindowCounter } from './redis-window-counter';
import { ForbiddenError, HttpError, UnauthorizedError } from '../http/http-errors';
import './route-config';
import { hasScope } from './scopes';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface AuthOptions {
  apiKeys: Authenticator;
  /** Failed authentications a client address may make per window before it gets 429. */
  maxFailures: number;
  failureWindowMs: number;
  /** Counts failures across instances (REDIS_URL); absent, each process counts its own. */
  sharedFailures?: SharedWindowCounter;
  /** Verifies the `?token=` of a signed link on routes whose config says `signedLink`. */
  signedLinks?: SignedLinkVerifier;
}

export interface SignedLinkVerifier {
  verify(token: string, query: Record<string, unknown>): Principal | undefined;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Every route needs `Authorization: Bearer <key>` unless its config says `public`, and the key
 * must carry the route's `scope`. Runs at onRequest, before the body is read, so an
 * unauthenticated caller cannot make the server parse a large body; an address with too many
 * failed authentications in a window gets 429 (AuthFailureLimiter).
 */
async function authPlugin(app: FastifyInstance, options: AuthOptions): Promise<void> {
  const failures = new AuthFailureLimiter(
    options.maxFailures,
    options.failureWindowMs,
    Date.now,
    options.sharedFailures,
  );
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    // routeOptions is a getter that builds a new object on every read: read it once.
    const { config, url } = request.routeOptions;
    // Swagger UI's own routes (/docs/...) are registered by its plugin and are public.
    if (config.public || !url || url === '/docs' || url.startsWith('/docs/')) return;
    const wait = failures.retryAfterSeconds(request.ip);
    if (wait > 0) {
      throw new HttpError(429, 'rate_limited.auth_failures', { seconds: wait }, undefined, {
        'Retry-After': String(wait),
      });
    }
    const link = signedLinkToken(config.signedLink, request.headers.authorization, request.query);
    if (link !== undefined) {
      const principal = options.signedLinks?.verify(link, request.query as Record<string, unknown>);
      if (!principal) {
        await failures.recordFailure(request.ip);
        throw new UnauthorizedError('unauthorized.invalid_link');
      }
      request.principal = principal;
      if (config.scope && !hasScope(principal.scopes, config.scope)) throw new ForbiddenError(config.scope);
      return;
    }
    const match = BEARER.exec(request.headers.authorization ?? '');
    const principal = match?.[1] ? await options.apiKeys.authenticate(match[1]) : null;
    if (!principal) {
      await failures.recordFailure(request.ip);
      throw match?.[1] ? new UnauthorizedError('unauthorized.unknown_key') : new UnauthorizedError();
    }
    request.principal = principal;
    if (config.scope && !hasScope(principal.scopes, config.scope)) throw new ForbiddenError(config.scope);
  });
}

/**
 * The `token` of a signed link, on a route that takes one and a request without an
 * Authorization header (a key, when sent, is what counts); undefined otherwise.
 */
function signedLinkToken(allowed: boolean | undefined, authorization: string | undefined, query: unknown) {
  if (!allowed || authorization !== undefined || typeof query !== 'object' || query === null)
    return undefined;
  const token = (query as Record<string, unknown>).token;
  return typeof token === 'string' ? token : undefined;
}

export default fp(authPlugin, { name: 'auth', dependencies: ['error-handler'] });

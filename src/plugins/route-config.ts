import type { Scope } from './scopes';

/** What a route declares in its `config` for the cross-cutting plugins. */
export interface CrmRouteConfig {
  /** Served without an API key (health, docs). */
  public?: boolean;
  /**
   * Also served to a `?token=` from a signed link instead of a key (the report page); the
   * auth plugin's `signedLinks` decides whether the token is good for the request.
   */
  signedLink?: boolean;
  /** The scope an API key needs for this route. */
  scope?: Scope;
  /** The success response carries a secret shown once (a new API key): never kept for replay. */
  secretResponse?: boolean;
}

declare module 'fastify' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FastifyContextConfig extends CrmRouteConfig {}
}

/** What a request knows about the API key that authenticated it. */
export interface Principal {
  id: string;
  name: string;
  scopes: string[];
}

/**
 * What the auth plugin needs from whoever keeps the keys: a key's secret in, its principal
 * out. The plugin knows this shape only, so it stays free of any resource module.
 */
export interface Authenticator {
  authenticate(secret: string): Promise<Principal | undefined>;
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../http/principal';

/** A signed link is good for 15 minutes unless asked otherwise, for a day at most. */
export const DEFAULT_LINK_SECONDS = 900;
export const MAX_LINK_SECONDS = 86_400;

interface Claims {
  /** The range the link shows, and nothing else. */
  from: string;
  to: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** The id and name of the API key that made the link, for the logs and the audit. */
  kid: string;
  kn: string;
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * Short-lived links to the report page (docs/reports.md): `token` is the claims (range,
 * expiry, issuing key) in base64url, a dot, and their HMAC-SHA256 under REPORT_LINK_SECRET.
 * Only the report page accepts one (route config `signedLink`), only for the range it names,
 * and it carries `analytics:read` alone. Without a configured secret each process draws its
 * own, so links then die with the process and work only on the instance that made them.
 */
export class ReportLinks {
  private readonly secret: Buffer;

  constructor(
    secret: string | undefined,
    private readonly clock: () => Date,
  ) {
    this.secret = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  issue(range: { from: string; to: string }, seconds: number, issuer: Principal) {
    const exp = Math.floor(this.clock().getTime() / 1000) + seconds;
    const claims: Claims = { from: range.from, to: range.to, exp, kid: issuer.id, kn: issuer.name };
    const payload = b64(JSON.stringify(claims));
    return { token: `${payload}.${this.sign(payload)}`, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /**
   * The principal a token stands for when it is well signed, unexpired and names the range the
   * request asks for; undefined otherwise (the auth plugin answers 401).
   */
  verify(token: string, query: Record<string, unknown>): Principal | undefined {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let claims: Claims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
    } catch {
      return undefined;
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.clock().getTime()) return undefined;
    if (query.from !== claims.from || query.to !== claims.to) return undefined;
    return {
      id: `report-link:${claims.kid}`,
      name: `report link of ${claims.kn}`,
      scopes: ['analytics:read'],
    };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

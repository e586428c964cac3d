import type { FastifyReply, FastifyRequest } from 'fastify';
import { PreconditionFailedError } from './http-errors';

/**
 * A strong validator from the record's version counter, which every write increments. A
 * record whose representation also shows figures no write of the caller's moves (a customer's
 * churn status, its current analytics values) adds them as `derived`: `"v<version>.<derived>"`,
 * so the tag changes whenever the body does.
 */
export function etagFor(version: number, derived?: string): string {
  return derived === undefined ? `"v${version}"` : `"v${version}.${derived}"`;
}

export function setEtag(reply: FastifyReply, version: number, derived?: string): void {
  reply.header('etag', etagFor(version, derived));
}

/** The version a strong tag of ours names (`"v3"` or `"v3.<derived>"`); undefined for any other text. */
function versionOf(tag: string): number | undefined {
  const match = /^"v(\d{1,15})(?:\.[^"]*)?"$/.exec(tag);
  return match ? Number(match[1]) : undefined;
}

/**
 * If-Match (RFC 9110 13.1.1): `*` or a list of tags, one of which must be the current one.
 * Returns the version the caller expects, or undefined when no If-Match was sent.
 *
 * Only the version is compared: If-Match guards the state a caller writes, and figures derived
 * beside it (a churn status a run moved, a new run's values) must not turn an integrator's
 * PATCH into a 412. A tag read before the derived part moved therefore still matches.
 */
export function expectedVersion(request: FastifyRequest, currentVersion: number): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return currentVersion;
  const tags = value.split(',').map((tag) => tag.trim());
  if (tags.some((tag) => versionOf(tag) === currentVersion)) return currentVersion;
  throw new PreconditionFailedError({ given: value, current: etagFor(currentVersion) });
}

/**
 * If-None-Match on a GET: true when the caller's copy is current and a 304 will do. The whole
 * tag is compared (weakly, RFC 9110 13.1.2), derived part included: a copy whose derived
 * figures moved is not current.
 */
export function notModified(request: FastifyRequest, version: number, derived?: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  const tags = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etagFor(version, derived));
}

/**
 * Answers 304 Not Modified: no body and no content headers (RFC 9110 15.4.5), only the
 * validator. Sending `null` through a JSON schema would write "null" with a Content-Type and
 * a Content-Length of 4, which validating proxies refuse.
 */
export function sendNotModified(reply: FastifyReply, version: number, derived?: string): FastifyReply {
  setEtag(reply, version, derived);
  reply.removeHeader('content-type');
  reply.removeHeader('content-length');
  return reply.code(304).send();
}

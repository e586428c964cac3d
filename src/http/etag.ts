import type { FastifyReply, FastifyRequest } from 'fastify';
import { PreconditionFailedError } from './http-errors';

/** A strong validator from the record's version counter, which every write increments. */
export function etagFor(version: number): string {
  return `"v${version}"`;
}

export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('etag', etagFor(version));
}

/**
 * If-Match (RFC 9110 13.1.1): `*` or a list of tags, one of which must be the current one.
 * Returns the version the caller expects, or undefined when no If-Match was sent.
 */
export function expectedVersion(request: FastifyRequest, currentVersion: number): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return currentVersion;
  const tags = value.split(',').map((tag) => tag.trim());
  if (tags.includes(etagFor(currentVersion))) return currentVersion;
  throw new PreconditionFailedError({ given: value, current: etagFor(currentVersion) });
}

/** If-None-Match on a GET: true when the caller's copy is current and a 304 will do. */
export function notModified(request: FastifyRequest, version: number): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  const tags = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etagFor(version));
}

/**
 * Answers 304 Not Modified: no body and no content headers (RFC 9110 15.4.5), only the
 * validator. Sending `null` through a JSON schema would write "null" with a Content-Type and
 * a Content-Length of 4, which validating proxies refuse.
 */
export function sendNotModified(reply: FastifyReply, version: number): FastifyReply {
  setEtag(reply, version);
  reply.removeHeader('content-type');
  reply.removeHeader('content-length');
  return reply.code(304).send();
}

import type { FastifyRequest } from 'fastify';
import { render } from '../../http/messages/catalogue';
import { PROBLEM_CONTENT_TYPE } from '../../schemas/common';

/**
 * What is stored for replay in place of a response that carries a secret (a new API key).
 * Storing the response itself would keep the secret in clear text in the database for a day
 * and show it a second time; a retry instead learns that the first request succeeded and where
 * its record is, and still creates nothing new.
 */
export function secretStandIn(
  request: FastifyRequest,
  location: unknown,
): { status: number; headers: Record<string, string>; body: string } {
  const where = typeof location === 'string' ? ` (${location})` : '';
  // Stored for replay, so in English: the retry may come with another Accept-Language.
  const { title, detail } = render('idempotency_secret_not_replayed', { where }, 'en');
  const body = {
    type: 'urn:problem:crm:idempotency_secret_not_replayed',
    title,
    status: 409,
    detail,
    instance: `${request.url.split('?')[0]}#${request.id}`,
    code: 'idempotency_secret_not_replayed',
  };
  return { status: 409, headers: { 'content-type': PROBLEM_CONTENT_TYPE }, body: JSON.stringify(body) };
}

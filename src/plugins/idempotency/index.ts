import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Knex } from 'knex';
import type { InstanceLease } from '../../db/instance-lease';
import { BadRequestError, ConflictError, UnprocessableError } from '../../http/http-errors';
import { IdempotencyRepository, type IdempotencyRecord } from './idempotency-repository';
import { secretStandIn } from './secret-stand-in';

export interface IdempotencyOptions {
  knex: Knex;
  clock: () => Date;
  ttlHours: number;
  /**
   * Whose claims are alive: a claim records its process's instance key, and a retry that finds it
   * in flight takes it over at once when that process has died (docs/design.md "Crashes and shutdown").
   */
  lease: InstanceLease;
  /** A claim older than this with no response is taken as abandoned whatever its owner (a lost answer). */
  abandonAfterMs: number;
}

interface ClaimedKey {
  apiKeyId: string;
  key: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: ClaimedKey | null;
  }
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];

function requestHash(request: FastifyRequest): string {
  const path = request.url.split('?')[0];
  return createHash('sha256')
    .update(`${request.method} ${path}\n${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

function replay(reply: FastifyReply, record: IdempotencyRecord): FastifyReply {
  reply.headers(record.response_headers ?? {});
  reply.header('idempotent-replayed', 'true');
  return reply.code(record.response_status ?? 200).send(record.response_body ?? '');
}

/**
 * Idempotency-Key on POST (docs/api.md "Idempotency"): the first response is stored and replayed for the same
 * key and body; the same key with another body is 422, and 409 while the first is in flight.
 * Keys are scoped to the API key that sent them.
 */
async function idempotencyPlugin(app: FastifyInstance, options: IdempotencyOptions): Promise<void> {
  const repository = new IdempotencyRepository(options.knex);
  const ttlMs = options.ttlHours * 3600 * 1000;
  let lastSweep = 0;
  app.decorateRequest('idempotency', null);

  /**
   * An in-flight claim no process will ever answer: its owner's lease is gone (the process was
   * killed; its open transaction was rolled back by the server with its connection), or it is older
   * than abandonAfterMs (an answer lost some other way).
   */
  const abandoned = async (claim: IdempotencyRecord, now: Date): Promise<boolean> => {
    if (now.getTime() - new Date(claim.created_at).getTime() > options.abandonAfterMs) return true;
    return claim.owner_instance !== null && !(await options.lease.isAlive(claim.owner_instance));
  };

  /** Bookkeeping after the answer is decided must not turn it into another error (the database may be down). */
  const settle = async (request: FastifyRequest, what: string, work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (err) {
      request.log.warn({ err }, `idempotency: ${what} failed`);
    }
  };

  app.addHook('preHandler', async (request, reply) => {
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined || !request.principal) return;
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || !KEY_PATTERN.test(key)) {
      throw new BadRequestError('invalid_idempotency_key', {});
    }
    const now = options.clock();
    if (now.getTime() - lastSweep > 3600 * 1000) {
      lastSweep = now.getTime();
      await repository.deleteExpired(now);
    }
    const hash = requestHash(request);
    const owner = await options.lease.key();
    const identity = {
      api_key_id: request.principal.id,
      key,
      method: request.method,
      path: request.url,
      request_hash: hash,
      owner_instance: owner,
    };
    const expiresAt = new Date(now.getTime() + ttlMs);
    if (await repository.claim(identity, now, expiresAt)) {
      request.idempotency = { apiKeyId: request.principal.id, key };
      return;
    }
    const existing = await repository.find(request.principal.id, key);
    if (!existing) throw new ConflictError('idempotency_request_in_flight.released', {});
    const expired = new Date(existing.expires_at).getTime() <= now.getTime();
    if (expired || (existing.state === 'in_flight' && (await abandoned(existing, now)))) {
      if (await repository.takeOver(existing, hash, owner, now, expiresAt)) {
        request.idempotency = { apiKeyId: request.principal.id, key };
        return;
      }
      throw new ConflictError('idempotency_request_in_flight', {});
    }
    if (existing.request_hash !== hash) {
      throw new UnprocessableError('idempotency_key_reused', {});
    }
    if (existing.state === 'in_flight') {
      throw new ConflictError('idempotency_request_in_flight', {});
    }
    return replay(reply, existing);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claimed = request.idempotency;
    if (!claimed) return payload;
    request.idempotency = null;
    // A server fault is not a final answer: free the key so the client can retry.
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      await settle(request, 'release', () => repository.release(claimed.apiKeyId, claimed.key));
      return payload;
    }
    if (request.routeOptions.config.secretResponse && reply.statusCode < 300) {
      const stand = secretStandIn(request, reply.getHeader('location'));
      await settle(request, 'storing the answer', () =>
        repository.complete(claimed.apiKeyId, claimed.key, stand.status, stand.headers, stand.body),
      );
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    await settle(request, 'storing the answer', () =>
      repository.complete(claimed.apiKeyId, claimed.key, reply.statusCode, headers, payload),
    );
    return payload;
  });

  // A request that ends without a response (client gone, error before send) frees its key.
  app.addHook('onResponse', async (request) => {
    const claimed = request.idempotency;
    if (claimed) await settle(request, 'release', () => repository.release(claimed.apiKeyId, claimed.key));
  });
}

export default fp(idempotencyPlugin, { name: 'idempotency', dependencies: ['auth'] });

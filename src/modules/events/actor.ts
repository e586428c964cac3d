import type { FastifyRequest } from 'fastify';

/** Who is making a change, for the audit trail. */
export interface Actor {
  keyId: string | null;
  name: string | null;
  requestId: string | null;
}

export function actorOf(request: FastifyRequest): Actor {
  return {
    keyId: request.principal?.id ?? null,
    name: request.principal?.name ?? null,
    requestId: request.id,
  };
}

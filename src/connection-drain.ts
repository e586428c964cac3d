import type { FastifyInstance } from 'fastify';
import { HttpError } from './http/http-errors';
import { sendProblem } from './plugins/error-handler';

const IDLE_SWEEP_MS = 50;

export interface ConnectionDrain {
  /** From now on every answer closes its connection, and idle keep-alive connections are closed. */
  start(): void;
}

/**
 * Lets `app.close()` finish as soon as the last in-flight request is answered. Node's
 * `server.close()` closes the connections that are idle at that moment and then waits for the
 * others to end; a keep-alive connection whose request was still running would stay open after its
 * answer until the client or the keep-alive timeout (72 s) closed it. So once draining, each answer
 * carries `Connection: close` (Node then ends the socket after it), and connections that went idle
 * in between are swept until the server has closed. Register before the app is ready.
 */
export function connectionDrain(app: FastifyInstance): ConnectionDrain {
  let draining = false;
  // A request that arrives on a kept-alive connection after the signal is not started: it gets
  // 503 shutting_down as problem+json (Fastify's own answer, return503OnClosing, is plain JSON),
  // and its connection closes, so the client's retry goes to an instance that is staying.
  app.addHook('onRequest', async (request, reply) => {
    if (!draining) return;
    reply.header('retry-after', '1');
    return sendProblem(request, reply, new HttpError(503, 'shutting_down', {}));
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (draining && !reply.raw.headersSent) reply.header('connection', 'close');
    return payload;
  });
  return {
    start() {
      if (draining) return;
      draining = true;
      const server = app.server;
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS).unref();
      server.once('close', () => clearInterval(sweep));
    },
  };
}

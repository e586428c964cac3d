import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One log line per request instead of Fastify's two ("incoming request" and "request
 * completed"). It is written when the answer has gone out and carries what the two carried
 * together: the request id (bound to the request's logger), method, URL, client address,
 * status and time taken. At info level it is the access log. A server error is also logged by
 * the error handler, with its stack; a response that broke off while being sent is logged here
 * at error level. Half the lines, and no serializer run over the request and reply objects:
 * bench/README.md "Read path" has what that saves.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {
    // Nothing: the completion line below says everything this one would.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const line = {
      method: request.method,
      url: request.url,
      ip: request.ip,
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

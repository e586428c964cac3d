import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/http-errors';
import { PROBLEM_CONTENT_TYPE } from '../schemas/common';
import { sendProblem } from './error-handler';

/*
 * Errors that happen before a request reaches a route, where the error handler never sees them.
 * Fastify's and Node's own answers to these are application/json or bare text; docs/api.md
 * promises problem+json for every error, so both are replaced here.
 */

function frameworkProblem(error: FastifyError): HttpError {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return new HttpError(400, 'malformed_url', {});
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new HttpError(414, 'uri_too_long', {});
  }
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  return new HttpError(status, 'bad_request.unroutable', {});
}

/**
 * Fastify's `frameworkErrors`: a URL the router cannot decode (a lone surrogate or bad
 * percent-encoding in the path), an over-long path parameter, a failed route constraint.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  // The onRequest hook that sets this does not run for a request that was never routed.
  reply.header('x-request-id', request.id);
  sendProblem(request, reply, frameworkProblem(error));
}

function clientProblem(error: NodeJS.ErrnoException): HttpError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new HttpError(431, 'headers_too_large', {
        limit: `${Math.round(maxHeaderSize / 1024)} KB`,
      });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new HttpError(408, 'request_timeout', {});
  }
  return new HttpError(400, 'malformed_request', {});
}

/**
 * The raw HTTP answer for a problem, for a socket that has no request or reply around it. It
 * is in English: the Accept-Language header is among what could not be read.
 */
export function rawProblemResponse(problem: HttpError): string {
  const { title, detail } = problem.localise('en');
  const body = JSON.stringify({
    type: `urn:problem:crm:${problem.code}`,
    title,
    status: problem.status,
    detail,
    code: problem.code,
  });
  return (
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}\r\n` +
    `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

/**
 * Fastify's `clientErrorHandler` (Node's 'clientError' event): a request Node's parser refused
 * before Fastify saw it, such as headers over the size limit (431) or a NUL or other control
 * character in a header (400). There is no request yet, so the answer is written on the socket.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  error: NodeJS.ErrnoException,
  socket: Socket,
): void {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  this.log.debug({ err: error }, 'client error');
  // A response already under way on this connection (Node's own handler checks the same) would
  // be corrupted by a second one: then the connection is only closed.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  socket.end(rawProblemResponse(clientProblem(error)));
  socket.once('finish', () => socket.destroy());
}

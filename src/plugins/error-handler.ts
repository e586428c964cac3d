import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { translateDatabaseError } from '../http/translate-database-error';
import { PROBLEM_CONTENT_TYPE } from '../schemas/common';
import { HttpError } from '../http/http-errors';
import { describeValidation, type AjvError } from '../http/validation-errors';

function fromFastifyError(error: FastifyError): HttpError | undefined {
  if (error.validation) {
    const part = error.validationContext ?? 'body';
    const errors = describeValidation(error.validation as AjvError[], part);
    const detail = errors.map((e) => `${e.path} ${e.message}`).join('; ');
    return new HttpError(400, 'validation_failed', 'Request validation failed', detail, errors);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HttpError(400, 'malformed_json', 'Malformed JSON', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpError(
        400,
        'empty_body',
        'Empty body',
        'A JSON body is required with Content-Type: application/json.',
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(
        413,
        'payload_too_large',
        'Payload too large',
        'The request body exceeds the configured limit.',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(
        415,
        'unsupported_media_type',
        'Unsupported media type',
        'Send the body as application/json.',
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpError(
        400,
        'invalid_content_length',
        'Bad request',
        'Content-Length does not match the body.',
      );
  }
  if (error.statusCode === 429) {
    return new HttpError(429, 'rate_limited', 'Too many requests', error.message);
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new HttpError(error.statusCode, 'bad_request', 'Bad request', error.message);
  }
  return undefined;
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: HttpError): FastifyReply {
  if (problem.headers) reply.headers(problem.headers);
  return reply
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({
      type: `urn:problem:crm:${problem.code}`,
      title: problem.title,
      status: problem.status,
      detail: problem.message,
      instance: `${request.url.split('?')[0]}#${request.id}`,
      code: problem.code,
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
}

/** The one place that writes application/problem+json, for thrown errors and unknown routes. */
async function errorHandlerPlugin(app: FastifyInstance): Promise<void> {
  // The API reads JSON only. Fastify's built-in text/plain parser would hand the body schema a
  // string, and the caller would get a 400 about types instead of the 415 that names the mistake.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem =
      error instanceof HttpError ? error : (fromFastifyError(error) ?? translateDatabaseError(error));
    if (problem) {
      if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
      return sendProblem(request, reply, problem);
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendProblem(
      request,
      reply,
      new HttpError(
        500,
        'internal_error',
        'Internal server error',
        'An unexpected error occurred; it has been logged.',
      ),
    );
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      new HttpError(
        404,
        'route_not_found',
        'Not found',
        `No route ${request.method} ${request.url.split('?')[0]}.`,
      ),
    ),
  );
}

export default fp(errorHandlerPlugin, { name: 'error-handler' });

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { translateDatabaseError } from '../db/translate-database-error';
import { PROBLEM_CONTENT_TYPE } from '../schemas/common';
import { HttpError, type FieldError } from './http-errors';

const READ_ONLY_FIELDS = new Set(['id', 'createdAt', 'updatedAt', 'deletedAt', 'version', 'stars', 'churnStatus']);

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns Ajv's errors into `{ path, message }` pairs a person can act on. */
function describeValidation(errors: AjvError[], part: string): FieldError[] {
  return errors.map((e) => {
    const base = e.instancePath ? e.instancePath : '';
    if (e.keyword === 'additionalProperties') {
      const field = String(e.params.additionalProperty);
      const message = READ_ONLY_FIELDS.has(field) ? 'is read-only and cannot be written' : 'is not a known field';
      return { path: `${part}${base}/${field}`, message };
    }
    if (e.keyword === 'required') {
      return { path: `${part}${base}/${String(e.params.missingProperty)}`, message: 'is required' };
    }
    return { path: `${part}${base}`, message: e.message ?? 'is invalid' };
  });
}

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
      return new HttpError(400, 'empty_body', 'Empty body', 'A JSON body is required with Content-Type: application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(413, 'payload_too_large', 'Payload too large', 'The request body exceeds the configured limit.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(415, 'unsupported_media_type', 'Unsupported media type', 'Send the body as application/json.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpError(400, 'invalid_content_length', 'Bad request', 'Content-Length does not match the body.');
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
      new HttpError(500, 'internal_error', 'Internal server error', 'An unexpected error occurred; it has been logged.'),
    );
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      new HttpError(404, 'route_not_found', 'Not found', `No route ${request.method} ${request.url.split('?')[0]}.`),
    ),
  );
}

export default fp(errorHandlerPlugin, { name: 'error-handler' });

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { translateDatabaseError } from '../http/translate-database-error';
import { PROBLEM_CONTENT_TYPE } from '../schemas/common';
import { HttpError, ValidationError, summaryOf } from '../http/http-errors';
import { negotiateLanguage } from '../http/messages/catalogue';
import { describeValidation, type AjvError } from '../http/validation-errors';

function fromFastifyError(error: FastifyError): HttpError | undefined {
  if (error.validation) {
    const part = error.validationContext ?? 'body';
    const errors = describeValidation(error.validation as AjvError[], part);
    return new ValidationError(summaryOf(errors), errors);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HttpError(400, 'malformed_json', {});
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpError(400, 'empty_body', {});
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(413, 'payload_too_large', {});
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(415, 'unsupported_media_type', {});
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpError(400, 'invalid_content_length', {});
  }
  if (error.statusCode === 429) {
    return new HttpError(429, 'rate_limited.plain', { reason: error.message });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new HttpError(error.statusCode, 'bad_request', { reason: error.message });
  }
  return undefined;
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: HttpError): FastifyReply {
  if (problem.headers) reply.headers(problem.headers);
  // Title and detail in the caller's language; the code is the same in every language.
  const language = negotiateLanguage(request.headers['accept-language']);
  const { title, detail } = problem.localise(language);
  const vary = reply.getHeader('vary');
  reply.header('vary', vary ? `${String(vary)}, Accept-Language` : 'Accept-Language');
  return reply
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .header('content-language', language)
    .send({
      type: `urn:problem:crm:${problem.code}`,
      title,
      status: problem.status,
      detail,
      instance: `${request.url.split('?')[0]}#${request.id}`,
      code: problem.code,
      ...(problem.errors ? { errors: problem.errors } : {}),
      ...(problem.allowed ? { allowed: problem.allowed } : {}),
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
    return sendProblem(request, reply, new HttpError(500, 'internal_error', {}));
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      new HttpError(404, 'route_not_found', {
        method: request.method,
        path: request.url.split('?')[0] ?? '',
      }),
    ),
  );
}

export default fp(errorHandlerPlugin, { name: 'error-handler' });

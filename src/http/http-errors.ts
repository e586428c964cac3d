/** One field-level problem in a request, in the `errors` member of a problem document. */
export interface FieldError {
  path: string;
  message: string;
  index?: number;
  /** The row's own problem code, when rows of one batch failed for different reasons. */
  code?: string;
}

/**
 * An error the API answers with a stable `code`; the error handler writes it as
 * application/problem+json (RFC 9457). Throw a subclass, never build replies by hand.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
  }
}

export class BadRequestError extends HttpError {
  constructor(code: string, detail: string, errors?: FieldError[]) {
    super(400, code, 'Bad request', detail, errors);
  }
}

export class ValidationError extends HttpError {
  constructor(detail: string, errors: FieldError[]) {
    super(400, 'validation_failed', 'Request validation failed', detail, errors);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(detail = 'A valid API key is required: send Authorization: Bearer <key>.') {
    super(401, 'unauthorized', 'Unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class ForbiddenError extends HttpError {
  constructor(scope: string) {
    super(403, 'forbidden', 'Forbidden', `This API key lacks the scope "${scope}".`);
  }
}

export class NotFoundError extends HttpError {
  constructor(code: string, detail: string) {
    super(404, code, 'Not found', detail);
  }
}

export class ConflictError extends HttpError {
  constructor(code: string, detail: string) {
    super(409, code, 'Conflict', detail);
  }
}

export class PreconditionFailedError extends HttpError {
  constructor(detail: string) {
    super(412, 'precondition_failed', 'Precondition failed', detail);
  }
}

export class PreconditionRequiredError extends HttpError {
  constructor(detail: string) {
    super(428, 'precondition_required', 'Precondition required', detail);
  }
}

export class UnprocessableError extends HttpError {
  constructor(code: string, detail: string, errors?: FieldError[]) {
    super(422, code, 'Unprocessable request', detail, errors);
  }
}

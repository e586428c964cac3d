import { codeOf, render, type Language, type MessageKey, type MessageParams } from './messages/catalogue';

/** One field-level problem in a request, in the `errors` member of a problem document. */
export interface FieldError {
  path: string;
  message: string;
  index?: number;
  /** The row's own problem code, when rows of one batch failed for different reasons. */
  code?: string;
}

/**
 * The parameters of a problem about several fields: the English summary (each path with its
 * message), and the count and paths other languages build their own sentence from.
 */
export function summaryOf(errors: ReadonlyArray<FieldError>): MessageParams {
  return {
    summary: errors.map((e) => `${e.path} ${e.message}`).join('; '),
    count: errors.length,
    paths: errors.map((e) => e.path).join(', '),
  };
}

/**
 * An error the API answers with a stable `code`; the error handler writes it as
 * application/problem+json (RFC 9457) in the caller's language. Throw a subclass, never build
 * replies by hand. `keyOrCode` is a catalogue key (`customer_not_found`,
 * `customer_not_found.external_id`: the code is the part before the dot).
 */
export class HttpError extends Error {
  readonly code: string;
  readonly key: MessageKey;
  readonly params: MessageParams;
  /** With `illegal_transition`: the targets the record could move to, answered as `allowed`. */
  allowed?: readonly string[];

  constructor(
    readonly status: number,
    key: MessageKey,
    params: MessageParams = {},
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(render(key, params, 'en').detail);
    this.key = key;
    this.params = params;
    this.code = codeOf(key);
  }

  /** The English title (logs, raw-socket answers); a reply takes its caller's language. */
  get title(): string {
    return render(this.key, this.params, 'en').title;
  }

  /** The title and detail in a language, from its catalogue. */
  localise(language: Language): { title: string; detail: string } {
    return render(this.key, this.params, language);
  }
}

export class BadRequestError extends HttpError {
  constructor(key: MessageKey, detail: MessageParams, errors?: FieldError[]) {
    super(400, key, detail, errors);
  }
}

export class ValidationError extends HttpError {
  constructor(detail: MessageParams, errors: FieldError[]) {
    super(400, 'validation_failed', detail, errors);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(key: MessageKey = 'unauthorized', params: MessageParams = {}) {
    super(401, key, params, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class ForbiddenError extends HttpError {
  constructor(scope: string) {
    super(403, 'forbidden', { scope });
  }
}

export class NotFoundError extends HttpError {
  constructor(key: MessageKey, detail: MessageParams) {
    super(404, key, detail);
  }
}

export class ConflictError extends HttpError {
  constructor(key: MessageKey, detail: MessageParams) {
    super(409, key, detail);
  }
}

export class PreconditionFailedError extends HttpError {
  constructor(detail: MessageParams, key: MessageKey = 'precondition_failed') {
    super(412, key, detail);
  }
}

export class PreconditionRequiredError extends HttpError {
  constructor(detail: MessageParams, key: MessageKey = 'precondition_required') {
    super(428, key, detail);
  }
}

export class UnprocessableError extends HttpError {
  constructor(key: MessageKey, detail: MessageParams, errors?: FieldError[]) {
    super(422, key, detail, errors);
  }
}

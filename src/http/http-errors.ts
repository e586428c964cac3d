import {
  CATALOGUES,
  codeOf,
  isMessageKey,
  isProblemCode,
  render,
  type Language,
  type MessageKey,
  type MessageParams,
} from './messages/catalogue';

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
 * What a thrown problem says: the parameters of its catalogue message (docs/api.md
 * "Languages"). A string is an English detail not yet in the catalogues; it is answered as it
 * is in every language, so new code passes parameters.
 */
export type Detail = MessageParams | string;

/**
 * An error the API answers with a stable `code`; the error handler writes it as
 * application/problem+json (RFC 9457) in the caller's language. Throw a subclass, never build
 * replies by hand. `keyOrCode` is a catalogue key (`customer_not_found`,
 * `customer_not_found.external_id`: the code is the part before the dot).
 */
export class HttpError extends Error {
  readonly code: string;
  readonly key: MessageKey | undefined;
  readonly params: MessageParams;

  constructor(
    readonly status: number,
    keyOrCode: string,
    readonly title: string,
    detail?: Detail,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    const key = typeof detail === 'object' && isMessageKey(keyOrCode) ? keyOrCode : undefined;
    const params = typeof detail === 'object' ? detail : {};
    super(key ? render(key, params, 'en').detail : legacyDetail(detail, title));
    this.key = key;
    this.params = params;
    this.code = key ? codeOf(key) : keyOrCode;
  }

  /** The title and detail in a language: from the catalogue, or as thrown when not in it. */
  localise(language: Language): { title: string; detail: string } {
    if (this.key) return render(this.key, this.params, language);
    const title = isProblemCode(this.code) ? CATALOGUES[language].titles[this.code] : this.title;
    return { title, detail: this.message };
  }
}

/** A detail not in the catalogues: the string given, or a summary among the parameters. */
function legacyDetail(detail: Detail | undefined, title: string): string {
  if (typeof detail === 'string') return detail;
  return detail && typeof detail.summary === 'string' ? detail.summary : title;
}

export class BadRequestError extends HttpError {
  constructor(key: string, detail: Detail, errors?: FieldError[]) {
    super(400, key, 'Bad request', detail, errors);
  }
}

export class ValidationError extends HttpError {
  constructor(detail: Detail, errors: FieldError[]) {
    super(400, 'validation_failed', 'Request validation failed', detail, errors);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(key = 'unauthorized', params: MessageParams = {}) {
    super(401, key, 'Unauthorized', params, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class ForbiddenError extends HttpError {
  constructor(scope: string) {
    super(403, 'forbidden', 'Forbidden', { scope });
  }
}

export class NotFoundError extends HttpError {
  constructor(key: string, detail: Detail) {
    super(404, key, 'Not found', detail);
  }
}

export class ConflictError extends HttpError {
  constructor(key: string, detail: Detail) {
    super(409, key, 'Conflict', detail);
  }
}

export class PreconditionFailedError extends HttpError {
  constructor(detail: Detail, key = 'precondition_failed') {
    super(412, key, 'Precondition failed', detail);
  }
}

export class PreconditionRequiredError extends HttpError {
  constructor(detail: Detail, key = 'precondition_required') {
    super(428, key, 'Precondition required', detail);
  }
}

export class UnprocessableError extends HttpError {
  constructor(key: string, detail: Detail, errors?: FieldError[]) {
    super(422, key, 'Unprocessable request', detail, errors);
  }
}

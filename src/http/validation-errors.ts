import type { FieldError } from './http-errors';

// Fields the API computes or owns; naming them in a body is a different mistake from a typo.
const READ_ONLY_FIELDS = new Set([
  'id',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'version',
  'stars',
  'churnStatus',
  'direct',
]);

// A batch body is `{ items: [...] }` (docs/api.md "Bulk"); its errors name the row they are about.
const BATCH_ROW = /^\/items\/(\d+)(?:\/|$)/;

export interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

const isNullBranch = (e: AjvError) => e.keyword === 'type' && e.params.type === 'null';
const within = (path: string, parent: string) => path === parent || path.startsWith(`${parent}/`);

/**
 * Nullable fields are `anyOf [T, null]`, so Ajv reports a bad value three times: against T, as
 * "must be null" and as "must match a schema in anyOf". Keep only what is wrong against T; keep
 * the anyOf summary only when nothing more specific was said about that value.
 */
function withoutBranchNoise(errors: AjvError[]): AjvError[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const specific = errors.filter(
    (e) => e.keyword !== 'anyOf' && !(anyOfPaths.has(e.instancePath) && isNullBranch(e)),
  );
  const summaries = errors.filter(
    (e) => e.keyword === 'anyOf' && !specific.some((s) => within(s.instancePath, e.instancePath)),
  );
  return [...specific, ...summaries];
}

const listOf = (values: unknown[]) =>
  values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

/**
 * Ajv says "must be equal to one of the allowed values" (enum) or, once per branch of a union
 * of constants, "must be equal to constant": a caller needs the values themselves. An enum names
 * its values; the constants of one path become one such list.
 */
function withAllowedValues(errors: AjvError[]): AjvError[] {
  const constants = new Map<string, unknown[]>();
  for (const e of errors) {
    if (e.keyword !== 'const') continue;
    constants.set(e.instancePath, [...(constants.get(e.instancePath) ?? []), e.params.allowedValue]);
  }
  const out: AjvError[] = [];
  for (const e of errors) {
    if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) {
      out.push({ ...e, message: `must be one of: ${listOf(e.params.allowedValues)}` });
    } else if (e.keyword === 'const') {
      const values = constants.get(e.instancePath);
      if (!values) continue;
      constants.delete(e.instancePath);
      out.push({
        ...e,
        message: values.length === 1 ? `must be ${listOf(values)}` : `must be one of: ${listOf(values)}`,
      });
    } else out.push(e);
  }
  return out;
}

/**
 * A nullable enum (`anyOf [enum, null]`) loses its "must be null" branch to withoutBranchNoise;
 * say that null is allowed too.
 */
function withNullAllowed(errors: AjvError[], all: AjvError[]): AjvError[] {
  const nullable = new Set(all.filter((e) => isNullBranch(e)).map((e) => e.instancePath));
  return errors.map((e) =>
    (e.keyword === 'enum' || e.keyword === 'const') && nullable.has(e.instancePath) && e.message
      ? { ...e, message: `${e.message} or null` }
      : e,
  );
}

/** One message per path for the alternatives of a union: "must be string or number". */
function mergeTypeErrors(errors: FieldError[]): FieldError[] {
  const out: FieldError[] = [];
  const typeList = /^must be \w+(?: or \w+)*$/;
  for (const error of errors) {
    const same = out.find((o) => o.path === error.path && typeList.test(o.message));
    const b = /^must be (\w+)$/.exec(error.message);
    if (same && b) {
      same.message = `${same.message} or ${b[1]}`;
      continue;
    }
    if (!out.some((o) => o.path === error.path && o.message === error.message)) out.push(error);
  }
  return out;
}

function describe(e: AjvError): { pointer: string; message: string } {
  if (e.keyword === 'additionalProperties') {
    const field = String(e.params.additionalProperty);
    const message = READ_ONLY_FIELDS.has(field)
      ? 'is read-only and cannot be written'
      : 'is not a known field';
    return { pointer: `${e.instancePath}/${field}`, message };
  }
  if (e.keyword === 'required') {
    return { pointer: `${e.instancePath}/${String(e.params.missingProperty)}`, message: 'is required' };
  }
  return { pointer: e.instancePath, message: e.message ?? 'is invalid' };
}

/** Turns Ajv's errors into `{ path, message[, index] }` entries a person can act on. */
export function describeValidation(errors: AjvError[], part: string): FieldError[] {
  const described = withNullAllowed(withAllowedValues(withoutBranchNoise(errors)), errors).map((e) => {
    const { pointer, message } = describe(e);
    const row = part === 'body' ? BATCH_ROW.exec(pointer) : null;
    return { path: `${part}${pointer}`, message, ...(row ? { index: Number(row[1]) } : {}) };
  });
  return mergeTypeErrors(described);
}

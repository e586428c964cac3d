import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { AjvError } from '../http/validation-errors';
import { findUnstorableValues } from '../http/unstorable-values';

const dateTime = fullFormats['date-time'] as {
  validate: (value: string) => boolean;
  compare: (a: string, b: string) => number | undefined;
};
/** A UTC timestamp on a day that every month has: always valid, and one regular expression decides it. */
const PLAIN_UTC_TIMESTAMP =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?Z$/;

/**
 * Bodies are validated strictly: no type coercion (a number sent as "5" is an error) and no
 * silent removal of unknown fields (additionalProperties: false answers 400). Query strings,
 * params and headers arrive as text, so those are coerced to the declared types.
 */
function makeAjv(coerceTypes: boolean | 'array'): Ajv {
  const ajv = new Ajv({
    coerceTypes,
    useDefaults: true,
    removeAdditional: false,
    allErrors: true,
    strict: false,
  });
  addFormats(ajv);
  // A 1,000-order batch carries 1,000 timestamps, and ajv-formats' exact check (split, two
  // regular expressions, calendar arithmetic) was a visible share of the request. The common
  // shape is accepted at once; everything else still gets the exact check, so the verdicts
  // are the same.
  ajv.addFormat('date-time', {
    validate: (value: string) => PLAIN_UTC_TIMESTAMP.test(value) || dateTime.validate(value),
    compare: dateTime.compare,
  });
  ajv.addKeyword({ keyword: 'example' });
  return ajv;
}

type Validator = ((data: unknown, context?: unknown) => boolean) & {
  errors?: AjvError[] | null;
  schemaEnv?: unknown;
};

/**
 * Text the database cannot store as sent (NUL, lone surrogates) and numbers that are not finite
 * (1e400) are refused in every part of every request and in every imported row, whatever the
 * schema allows there: the caller gets 400 `validation_failed` at the field's path instead of a
 * 500 from PostgreSQL or a value silently altered (docs/api.md "Errors"). The walk runs after
 * Ajv, so a query value is checked as coerced.
 */
function refusingUnstorableValues(validate: ValidateFunction): Validator {
  const checked: Validator = (data, context) => {
    const valid = (validate as Validator)(data, context);
    const refused = findUnstorableValues(data);
    if (refused.length === 0) {
      checked.errors = validate.errors as AjvError[] | null | undefined;
      return valid;
    }
    checked.errors = [...((validate.errors as AjvError[] | null | undefined) ?? []), ...refused];
    return false;
  };
  // Fastify hands Ajv the parent object (so a root value can be coerced) when it sees this.
  checked.schemaEnv = validate.schemaEnv;
  return checked;
}

export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const bodyAjv = makeAjv(false);
  const textAjv = makeAjv('array');
  const cache = new WeakMap<object, Validator>();
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? bodyAjv : textAjv;
    const key = schema as object;
    let validate = httpPart === 'body' ? cache.get(key) : undefined;
    if (!validate) {
      validate = refusingUnstorableValues(ajv.compile(schema as object));
      if (httpPart === 'body') cache.set(key, validate);
    }
    return validate as never;
  };
}

import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import type { FastifySchemaCompiler } from 'fastify';

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

export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const bodyAjv = makeAjv(false);
  const textAjv = makeAjv('array');
  const cache = new WeakMap<object, ValidateFunction>();
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? bodyAjv : textAjv;
    const key = schema as object;
    let validate = httpPart === 'body' ? cache.get(key) : undefined;
    if (!validate) {
      validate = ajv.compile(schema as object);
      if (httpPart === 'body') cache.set(key, validate);
    }
    return validate as never;
  };
}

import type { AjvError } from './validation-errors';

// A NUL, or any UTF-16 surrogate: the quick test that lets almost every string through at once.
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const SUSPECT = /[\u0000\ud800-\udfff]/;
// A surrogate not part of a pair: it has no UTF-8 form.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why PostgreSQL cannot keep this text as sent, or undefined when it can. A text value may not
 * contain NUL (the server answers "invalid byte sequence" and jsonb refuses \u0000), and a lone
 * surrogate would be stored silently as U+FFFD, so the record would not read back as written.
 */
export function unstorableReason(text: string): string | undefined {
  if (!SUSPECT.test(text)) return undefined;
  if (text.includes('\u0000')) return 'must not contain a NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone UTF-16 surrogate (it is not valid Unicode)';
  return undefined;
}

const pointerPart = (key: string | number) => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

interface Visit {
  value: unknown;
  parent: Visit | undefined;
  key: string | number;
}

function pointerOf(visit: Visit): string {
  const parts: string[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) parts.push(pointerPart(at.key));
  return parts.length === 0 ? '' : `/${parts.reverse().join('/')}`;
}

const problem = (instancePath: string, message: string): AjvError => ({
  instancePath,
  keyword: 'unstorable',
  message,
  params: {},
});

/**
 * Every string (and object key) in a parsed request part that the database could not store as
 * sent, and every number that is not finite, as Ajv-shaped errors at the value's JSON pointer. Walks with its own stack, so a deeply
 * nested body cannot overflow the call stack.
 */
export function findUnstorableValues(data: unknown, limit = 20): AjvError[] {
  const found: AjvError[] = [];
  const stack: Visit[] = [{ value: data, parent: undefined, key: '' }];
  while (stack.length > 0 && found.length < limit) {
    const visit = stack.pop()!;
    const { value } = visit;
    if (typeof value === 'string') {
      const reason = unstorableReason(value);
      if (reason) found.push(problem(pointerOf(visit), reason));
    } else if (typeof value === 'number') {
      // 1e400 parses (or is coerced from a query string) to Infinity, which JSON and jsonb cannot hold.
      if (!Number.isFinite(value)) found.push(problem(pointerOf(visit), 'must be a finite number'));
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], parent: visit, key: i });
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const reason = unstorableReason(key);
        if (reason) found.push(problem(pointerOf({ value, parent: visit, key }), `has a key that ${reason}`));
        stack.push({ value: (value as Record<string, unknown>)[key], parent: visit, key });
      }
    }
  }
  return found;
}

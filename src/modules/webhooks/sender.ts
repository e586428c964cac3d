import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { addressRefusal, urlRefusal } from '../../domain/webhooks';

/** The answer of one attempt, as the delivery log keeps it. */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  /** The first 1 KB of the answer's body. */
  responseBody: string | null;
  error: string | null;
}

export interface SenderOptions {
  timeoutMs: number;
  allowPrivate: boolean;
}

/** Only this much of an answer is read; the rest is never downloaded. */
export const RESPONSE_BODY_LIMIT = 1024;

/** Raised by the lookup for an address the policy refuses; the attempt's error names it. */
class RefusedAddress extends Error {
  readonly code = 'webhook_url_not_allowed';
}

/**
 * Resolves like dns.lookup, but fails when any address of the host is refused: the socket
 * connects to an address checked here, at every attempt, so neither a DNS change after the
 * subscription was made nor a rebinding between check and connect reaches an internal host.
 */
function checkedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const refusal = addressRefusal(a.address, allowPrivate);
        if (refusal) return callback(new RefusedAddress(`${hostname}: ${refusal}`), '', 0);
      }
      if (options.all)
        return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

function errorText(error: unknown): string {
  if (error instanceof RefusedAddress) return `webhook_url_not_allowed: ${error.message}`;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/**
 * One POST of a delivery. Redirects are not followed (a 3xx is a failed attempt), the whole
 * attempt is cut at `timeoutMs`, and at most 1 KB of the answer is read.
 */
export function postOnce(
  target: string,
  headers: Record<string, string>,
  body: string,
  options: SenderOptions,
  now: () => number = Date.now,
): Promise<AttemptResult> {
  const started = now();
  const done = (partial: Omit<AttemptResult, 'latencyMs'>): AttemptResult => ({
    ...partial,
    latencyMs: Math.max(0, Math.round(now() - started)),
  });
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return Promise.resolve(done({ ok: false, statusCode: null, responseBody: null, error: 'invalid URL' }));
  }
  const refusal = urlRefusal(url, options.allowPrivate);
  if (refusal)
    return Promise.resolve(
      done({ ok: false, statusCode: null, responseBody: null, error: `webhook_url_not_allowed: ${refusal}` }),
    );
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        agent: false,
        lookup: checkedLookup(options.allowPrivate),
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'headless-crm-webhooks/1',
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const statusCode = response.statusCode ?? null;
        const complete = () => {
          const text = Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT).toString('utf8');
          const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
          finish(
            done({
              ok,
              statusCode,
              // PostgreSQL text cannot hold NUL.
              responseBody: text.split('\u0000').join(''),
              error: ok ? null : `HTTP ${statusCode}`,
            }),
          );
          response.destroy();
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= RESPONSE_BODY_LIMIT) complete();
        });
        response.on('end', complete);
        response.on('error', complete);
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    request.on('error', (error) =>
      finish(done({ ok: false, statusCode: null, responseBody: null, error: errorText(error) })),
    );
    request.end(body);
  });
}

import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com, "Signature scheme"): the
 * signed content is `<msg id>.<timestamp>.<body>`, the key is the secret's bytes (the base64
 * after `whsec_`), and the header lists `v1,<base64 HMAC-SHA256>` per secret, space-separated.
 */
export const SECRET_PREFIX = 'whsec_';

/** Secrets carry 24 to 64 random bytes, as the reference libraries accept. */
const SECRET_BYTES = 32;
export const SECRET_PATTERN = '^whsec_[A-Za-z0-9+/]{32,88}={0,2}$';

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/** The key of a secret: its base64 part decoded. */
export function secretKey(secret: string): Buffer {
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/** True when a caller's secret has the form and a key of 24 to 64 bytes. */
export function isValidSecret(secret: string): boolean {
  if (!new RegExp(SECRET_PATTERN).test(secret)) return false;
  const bytes = secretKey(secret).length;
  return bytes >= 24 && bytes <= 64;
}

export function sign(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret))
    .update(`${messageId}.${timestampSeconds}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

/** The `webhook-signature` header: one signature per live secret, the current one first. */
export function signatureHeader(
  secrets: readonly string[],
  messageId: string,
  timestampSeconds: number,
  body: string,
): string {
  return secrets.map((s) => sign(s, messageId, timestampSeconds, body)).join(' ');
}

import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'crm_';

/** A new secret: 32 random bytes, shown to the caller once and stored only as a hash. */
export function generateApiKeySecret(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** SHA-256 is enough for 256-bit random secrets: no dictionary to guess from. */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The first characters, kept in clear so a person can tell keys apart in a list. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, 12);
}

/** Every scope an API key can carry. `admin` implies all others. */
export const SCOPES = [
  'admin',
  'customers:read',
  'customers:write',
  'orders:read',
  'orders:write',
  'payments:read',
  'payments:write',
  'analytics:read',
  'analytics:write',
  'events:read',
  'service:read',
  'service:write',
  'sales:read',
  'sales:write',
  'webhooks:read',
  'webhooks:write',
  'marketing:read',
  'marketing:write',
] as const;

export type Scope = (typeof SCOPES)[number];

export function hasScope(granted: readonly string[], needed: Scope): boolean {
  return granted.includes('admin') || granted.includes(needed);
}

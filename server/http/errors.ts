import type { RefusalKind } from '../refusal.js'

/** The one mapping from a refusal to its HTTP status. */
export const REFUSAL_STATUS: Readonly<Record<RefusalKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'too-large': 413,
  unsupported: 415,
  unreadable: 422,
  'too-many': 429,
}

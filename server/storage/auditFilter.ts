import type { AuditEntry, AuditQuery } from '../../shared/audit.js'

/**
 * Whether an entry passes the filters a range read cannot express (who, which action). Time
 * bounds are the key range itself; this is checked on each entry read from it.
 */
export const matchesAudit = (entry: AuditEntry, query: AuditQuery): boolean =>
  (query.actor === undefined || entry.actor === query.actor) && (query.action === undefined || entry.action === query.action)

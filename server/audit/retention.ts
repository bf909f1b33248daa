import type { AuditStorage } from '../storage/types.js'
import { log } from '../log.js'

const DAY_MS = 24 * 60 * 60 * 1000

/** The time before which entries are older than `retentionDays` at `now`, as the log's keys spell it. */
export const retentionCutoff = (retentionDays: number, now: number): string => new Date(now - retentionDays * DAY_MS).toISOString()

/**
 * Keeps the audit log to `retentionDays` (AUDIT_RETENTION_DAYS): prunes now (resolving when done,
 * so a server starts with a log that is already within retention), then once a day. Retention is
 * the only deletion of entries, and only the server does it; no route can. Resolves to a function
 * that stops the daily run.
 */
export async function pruneAuditDaily(storage: AuditStorage, retentionDays: number, now: () => number = Date.now): Promise<() => void> {
  const prune = () =>
    storage
      .pruneAudit(retentionCutoff(retentionDays, now()))
      .then((pruned) => {
        if (pruned > 0) log.info('audit log: removed entries past retention', { entries: pruned, retentionDays })
      })
      .catch((error: unknown) => log.error('audit log: pruning failed; retrying tomorrow', { error }))
  await prune()
  const timer = setInterval(() => void prune(), DAY_MS)
  timer.unref()
  return () => clearInterval(timer)
}

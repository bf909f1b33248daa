import { canAdminister } from '../../../shared/accounts.js'
import { isAuditAction, type AuditQuery } from '../../../shared/audit.js'
import type { Sessions } from '../../auth/sessions.js'
import type { AuditStorage } from '../../storage/types.js'
import { encodeAuditCsv } from '../../audit/csv.js'
import { authenticated, requireRole } from '../guard.js'
import type { Router } from '../router.js'
import { Refusal } from '../../refusal.js'

const DEFAULT_LIMIT = 100
const MAX_LIMIT = 1000
/** A CSV export holds the whole filtered range, up to this many entries (about a year of a busy office). */
const MAX_CSV_ROWS = 100_000
const MAX_ACTOR = 64

/** An ISO 8601 time from a query parameter, in the log's own spelling; 400 for anything else. */
function time(params: URLSearchParams, name: string): string | undefined {
  const raw = params.get(name)
  if (raw === null || raw === '') return undefined
  const parsed = new Date(raw)
  if (Number.isNaN(parsed.getTime())) throw new Refusal('invalid', `"${name}" harus berupa waktu ISO 8601, mis. 2026-05-01T00:00:00.000Z.`)
  return parsed.toISOString()
}

/** The filters of `GET /api/audit` and `/api/audit.csv`; 400 for a malformed one. */
export function decodeAuditQuery(params: URLSearchParams, maxLimit: number, defaultLimit: number): AuditQuery {
  const rawLimit = params.get('limit')
  const limit = rawLimit === null || rawLimit === '' ? defaultLimit : Number(rawLimit)
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw new Refusal('invalid', `"limit" harus bilangan bulat 1–${maxLimit}.`)
  const action = params.get('action') || undefined
  if (action !== undefined && !isAuditAction(action)) throw new Refusal('invalid', `Tindakan tidak dikenal: ${action}.`)
  const actor = params.get('actor') || undefined
  if (actor !== undefined && actor.length > MAX_ACTOR) throw new Refusal('invalid', `"actor" paling panjang ${MAX_ACTOR} karakter.`)
  return {
    limit,
    before: time(params, 'before'),
    from: time(params, 'from'),
    to: time(params, 'to'),
    ...(actor === undefined ? {} : { actor }),
    ...(action === undefined ? {} : { action }),
  }
}

/**
 * GET /api/audit and GET /api/audit.csv (admins): the audit log, newest first. Read only: no route
 * changes or deletes an entry (other methods get 405); retention is the server's own job.
 */
export function auditRoutes(router: Router, sessions: Sessions, audit: AuditStorage) {
  router.add(
    'GET',
    '/api/audit',
    authenticated(sessions, async (request, session) => {
      requireRole(session, canAdminister)
      return { status: 200, body: await audit.listAudit(decodeAuditQuery(request.url.searchParams, MAX_LIMIT, DEFAULT_LIMIT)) }
    }),
  )

  router.add(
    'GET',
    '/api/audit.csv',
    authenticated(sessions, async (request, session) => {
      requireRole(session, canAdminister)
      const entries = await audit.listAudit(decodeAuditQuery(request.url.searchParams, MAX_CSV_ROWS, MAX_CSV_ROWS))
      const day = new Date().toISOString().slice(0, 10)
      return {
        status: 200,
        file: { bytes: encodeAuditCsv(entries), contentType: 'text/csv; charset=utf-8' },
        headers: { 'Content-Disposition': `attachment; filename="log-aktivitas-${day}.csv"` },
      }
    }),
  )
}

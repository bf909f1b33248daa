import type { IncomingHttpHeaders } from 'node:http'
import type { Role } from '../../shared/accounts.js'
import type { Session, Sessions } from '../auth/sessions.js'
import type { Documents } from '../documents/documents.js'
import type { DocumentRecord } from '../../shared/documents.js'
import { TokenError } from '../auth/tokens.js'
import { Refusal } from '../refusal.js'
import type { CostLimiter } from '../limits/costLimiter.js'
import type { ApiReply, ApiRequest, AuthedHandler, Handler } from './router.js'

export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')
  return match?.[1] ?? null
}

/** Wraps a handler so it runs only with a valid session (401 otherwise, also when the session ends while it runs). */
export function authenticated(sessions: Sessions, handler: AuthedHandler): Handler {
  return async (request) => {
    try {
      return await handler(request, await sessions.authenticate(bearerToken(request.headers)))
    } catch (error) {
      if (error instanceof TokenError)
        throw new Refusal('unauthenticated', 'Sesi tidak berlaku; silakan masuk lagi.', { 'WWW-Authenticate': 'Bearer' })
      throw error
    }
  }
}

/** Wraps a handler of `/api/docs/:id/…` so it runs only with a valid session and a known document (404 otherwise). */
export function inDocument(
  sessions: Sessions,
  documents: Documents,
  handler: (request: ApiRequest, session: Session, record: DocumentRecord) => Promise<ApiReply> | ApiReply,
): Handler {
  return authenticated(sessions, async (request, session) => {
    const record = await documents.get(request.params.id!)
    if (!record) throw new Refusal('not-found', 'Dokumen tidak ditemukan.')
    return handler(request, session, record)
  })
}

/** 403 unless the session's role passes `allowed`. */
export function requireRole(session: Session, allowed: (role: Role) => boolean) {
  if (!allowed(session.user.role)) throw new Refusal('forbidden', 'Peran Anda tidak mengizinkan tindakan ini.')
}

/**
 * Runs expensive `work` (an export, a comparison, an import) only if `limiter` admits the session's
 * account now; otherwise 429 with `Retry-After`. `what` names the work in the message, in Indonesian.
 */
export async function withinLimit<T>(limiter: CostLimiter, session: Session, what: string, work: () => Promise<T>): Promise<T> {
  const admission = limiter.admit(session.user.username)
  if (!admission.admitted) {
    const wait = admission.retryAfterSeconds
    const message =
      admission.reason === 'rate'
        ? `Terlalu banyak permintaan ${what} dari akun Anda; coba lagi dalam ${wait} detik.`
        : `Server sedang menjalankan ${what} lain; coba lagi dalam ${wait} detik.`
    throw new Refusal('too-many', message, { 'Retry-After': String(wait) })
  }
  try {
    return await work()
  } finally {
    admission.release()
  }
}

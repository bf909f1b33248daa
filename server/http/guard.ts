import type { IncomingHttpHeaders } from 'node:http'
import type { Role } from '../../shared/accounts.js'
import type { Session, Sessions } from '../auth/sessions.js'
import type { Documents } from '../documents/documents.js'
import type { DocumentRecord } from '../../shared/documents.js'
import { TokenError } from '../auth/tokens.js'
import { Refusal } from '../refusal.js'
import type { ApiReply, ApiRequest, AuthedHandler, Handler } from './router.js'

export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')
  return match?.[1] ?? null
}

/** Wraps a handler so it runs only with a valid session (401 otherwise). */
export function authenticated(sessions: Sessions, handler: AuthedHandler): Handler {
  return async (request) => {
    let session: Session
    try {
      session = await sessions.authenticate(bearerToken(request.headers))
    } catch (error) {
      if (error instanceof TokenError)
        throw new Refusal('unauthenticated', 'Sesi tidak berlaku; silakan masuk lagi.', { 'WWW-Authenticate': 'Bearer' })
      throw error
    }
    return handler(request, session)
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

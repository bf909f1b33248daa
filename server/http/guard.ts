import type { IncomingHttpHeaders } from 'node:http'
import type { Role } from '../../shared/accounts.js'
import type { Session, Sessions } from '../auth/sessions.js'
import type { Documents } from '../documents/documents.js'
import type { DocumentRecord } from '../storage/types.js'
import { TokenError } from '../auth/tokens.js'
import { HttpError, type ApiReply, type ApiRequest, type AuthedHandler, type Handler } from './router.js'

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
      if (error instanceof TokenError) throw new HttpError(401, 'Sesi tidak berlaku; silakan masuk lagi.', { 'WWW-Authenticate': 'Bearer' })
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
    if (!record) throw new HttpError(404, 'Dokumen tidak ditemukan.')
    return handler(request, session, record)
  })
}

/** 403 unless the session's role passes `allowed`. */
export function requireRole(session: Session, allowed: (role: Role) => boolean) {
  if (!allowed(session.user.role)) throw new HttpError(403, 'Peran Anda tidak mengizinkan tindakan ini.')
}

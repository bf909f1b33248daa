import type { Session, Sessions } from '../../auth/sessions.js'
import type { Documents } from '../../documents/documents.js'
import type { Suggestions } from '../../suggestions/suggestions.js'
import { asObject } from '../body.js'
import { inDocument } from '../guard.js'
import type { ApiRequest, Router } from '../router.js'

/**
 * Suggestions of a document (CONTRACT.md "Suggestions", /work/notes/suggest-api.md):
 *   GET   /api/docs/:id/suggestions                          oldest first
 *   POST  /api/docs/:id/suggestions                          NewSuggestion → 201 (commenter, editor, admin)
 *   PATCH /api/docs/:id/suggestions/:sid                     {insert?, anchor?, blocks?, note?} (its author)
 *   POST  /api/docs/:id/suggestions/:sid/replies             {text} → 201
 *   POST  /api/docs/:id/suggestions/:sid/accept | /reject    (editor, admin)
 *   POST  /api/docs/:id/suggestions/:sid/withdraw            (its author)
 *   POST  /api/docs/:id/suggestions/accept-all               {pasalId?} → {accepted, skipped} (editor, admin)
 */
export function suggestionRoutes(router: Router, sessions: Sessions, documents: Documents, suggestions: Suggestions) {
  const route = (work: (request: ApiRequest, session: Session, docId: string) => Promise<unknown>, status = 200) =>
    inDocument(sessions, documents, async (request, session, record) => ({ status, body: await work(request, session, record.id) }))
  const body = async (request: ApiRequest) => asObject(await request.json())

  router.add(
    'GET',
    '/api/docs/:id/suggestions',
    route((_request, _session, docId) => suggestions.list(docId)),
  )
  router.add(
    'POST',
    '/api/docs/:id/suggestions',
    route(async (request, { user }, docId) => suggestions.create(docId, user, await body(request)), 201),
  )
  router.add(
    'POST',
    '/api/docs/:id/suggestions/accept-all',
    route(async (request, { user }, docId) => suggestions.acceptAll(docId, user, (await body(request)).pasalId)),
  )
  router.add(
    'PATCH',
    '/api/docs/:id/suggestions/:sid',
    route(async (request, { user }, docId) => suggestions.update(docId, request.params.sid!, user, await body(request))),
  )
  router.add(
    'POST',
    '/api/docs/:id/suggestions/:sid/replies',
    route(async (request, { user }, docId) => suggestions.reply(docId, request.params.sid!, user, (await body(request)).text), 201),
  )
  router.add(
    'POST',
    '/api/docs/:id/suggestions/:sid/accept',
    route((request, { user }, docId) => suggestions.accept(docId, request.params.sid!, user)),
  )
  router.add(
    'POST',
    '/api/docs/:id/suggestions/:sid/reject',
    route((request, { user }, docId) => suggestions.reject(docId, request.params.sid!, user)),
  )
  router.add(
    'POST',
    '/api/docs/:id/suggestions/:sid/withdraw',
    route((request, { user }, docId) => suggestions.withdraw(docId, request.params.sid!, user)),
  )
}

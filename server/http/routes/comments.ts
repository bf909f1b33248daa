import type { Sessions } from '../../auth/sessions.js'
import type { Comments } from '../../comments/comments.js'
import type { Documents } from '../../documents/documents.js'
import { asObject } from '../body.js'
import { inDocument } from '../guard.js'
import type { ApiRequest, Router } from '../router.js'
import type { Session } from '../../auth/sessions.js'
import type { Thread } from '../../../shared/comments.js'

/**
 * Comment threads of a document:
 *   GET    /api/docs/:id/threads
 *   POST   /api/docs/:id/threads                          {anchor, text}
 *   POST   /api/docs/:id/threads/:tid/messages            {text}
 *   PATCH  /api/docs/:id/threads/:tid/messages/:mid       {text}
 *   DELETE /api/docs/:id/threads/:tid/messages/:mid
 *   POST   /api/docs/:id/threads/:tid/resolve | /reopen
 *   PATCH  /api/docs/:id/threads/:tid                     {anchor}   (re-attach)
 */
export function commentRoutes(router: Router, sessions: Sessions, documents: Documents, comments: Comments) {
  const route = (work: (request: ApiRequest, session: Session, docId: string) => Promise<Thread | Thread[]>, status = 200) =>
    inDocument(sessions, documents, async (request, session, record) => ({ status, body: await work(request, session, record.id) }))
  const body = async (request: ApiRequest) => asObject(await request.json())

  router.add(
    'GET',
    '/api/docs/:id/threads',
    route((_request, _session, docId) => comments.list(docId)),
  )
  router.add(
    'POST',
    '/api/docs/:id/threads',
    route(async (request, { user }, docId) => {
      const { anchor, text } = await body(request)
      return comments.create(docId, user, anchor, text)
    }, 201),
  )
  router.add(
    'PATCH',
    '/api/docs/:id/threads/:tid',
    route(async (request, { user }, docId) => comments.reattach(docId, request.params.tid!, user, (await body(request)).anchor)),
  )
  router.add(
    'POST',
    '/api/docs/:id/threads/:tid/messages',
    route(async (request, { user }, docId) => comments.reply(docId, request.params.tid!, user, (await body(request)).text), 201),
  )
  router.add(
    'PATCH',
    '/api/docs/:id/threads/:tid/messages/:mid',
    route(async (request, { user }, docId) =>
      comments.editMessage(docId, request.params.tid!, request.params.mid!, user, (await body(request)).text),
    ),
  )
  router.add(
    'DELETE',
    '/api/docs/:id/threads/:tid/messages/:mid',
    route((request, { user }, docId) => comments.deleteMessage(docId, request.params.tid!, request.params.mid!, user)),
  )
  router.add(
    'POST',
    '/api/docs/:id/threads/:tid/resolve',
    route((request, { user }, docId) => comments.resolve(docId, request.params.tid!, user)),
  )
  router.add(
    'POST',
    '/api/docs/:id/threads/:tid/reopen',
    route((request, { user }, docId) => comments.reopen(docId, request.params.tid!, user)),
  )
}

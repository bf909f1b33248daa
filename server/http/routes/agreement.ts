import type { Sessions } from '../../auth/sessions.js'
import type { Agreement } from '../../agreement/agreement.js'
import type { Documents } from '../../documents/documents.js'
import { asObject } from '../body.js'
import { authenticated } from '../guard.js'
import { HttpError, type Router } from '../router.js'

/**
 * Agreement per Pasal:
 *   GET /api/docs/:id/statuses                 every recorded status with its history
 *   PUT /api/docs/:id/statuses/:pasalId {status}  draf | dibahas | disepakati (editor, admin)
 */
export function agreementRoutes(router: Router, sessions: Sessions, documents: Documents, agreement: Agreement) {
  const known = async (docId: string) => {
    if (!(await documents.get(docId))) throw new HttpError(404, 'Dokumen tidak ditemukan.')
  }
  router.add(
    'GET',
    '/api/docs/:id/statuses',
    authenticated(sessions, async (request) => {
      await known(request.params.id!)
      return { status: 200, body: await agreement.list(request.params.id!) }
    }),
  )
  router.add(
    'PUT',
    '/api/docs/:id/statuses/:pasalId',
    authenticated(sessions, async (request, { user }) => {
      await known(request.params.id!)
      const { status } = asObject(await request.json())
      return { status: 200, body: await agreement.set(request.params.id!, request.params.pasalId!, status, user) }
    }),
  )
}

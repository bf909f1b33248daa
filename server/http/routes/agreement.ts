import type { Sessions } from '../../auth/sessions.js'
import { originOf } from '../../../shared/audit.js'
import type { Agreement } from '../../agreement/agreement.js'
import type { Documents } from '../../documents/documents.js'
import { asObject } from '../body.js'
import { inDocument } from '../guard.js'
import type { Router } from '../router.js'

/**
 * Agreement per Pasal:
 *   GET /api/docs/:id/statuses                 every recorded status with its history
 *   PUT /api/docs/:id/statuses/:pasalId {status}  draf | dibahas | disepakati (editor, admin)
 */
export function agreementRoutes(router: Router, sessions: Sessions, documents: Documents, agreement: Agreement) {
  router.add(
    'GET',
    '/api/docs/:id/statuses',
    inDocument(sessions, documents, async (_request, _session, record) => ({ status: 200, body: await agreement.list(record.id) })),
  )
  router.add(
    'PUT',
    '/api/docs/:id/statuses/:pasalId',
    inDocument(sessions, documents, async (request, { user }, record) => {
      const { status } = asObject(await request.json())
      return { status: 200, body: await agreement.set(record.id, request.params.pasalId!, status, user, originOf(user, request.address)) }
    }),
  )
}

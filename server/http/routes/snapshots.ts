import type { Session, Sessions } from '../../auth/sessions.js'
import { originOf } from '../../../shared/audit.js'
import type { Documents } from '../../documents/documents.js'
import type { Snapshots } from '../../snapshots/snapshots.js'
import { CURRENT } from '../../../shared/versions.js'
import { asObject } from '../body.js'
import { inDocument, withinLimit } from '../guard.js'
import type { CostLimiter } from '../../limits/costLimiter.js'
import type { ApiReply, ApiRequest, Router } from '../router.js'
import { Refusal } from '../../refusal.js'

/**
 * Versions (CONTRACT.md):
 *   GET  /api/docs/:id/snapshots[?auto=true|false]      newest first
 *   POST /api/docs/:id/snapshots {name, note?}          201 (editor, admin)
 *   GET  /api/docs/:id/snapshots/:sid                   metadata + ProseMirror JSON content
 *   POST /api/docs/:id/snapshots/:sid/restore           200 (editor, admin)
 *   GET  /api/docs/:id/compare?from=<sid>&to=<sid|sekarang>   (bounded by `compareLimiter`: 429)
 */
export function snapshotRoutes(router: Router, sessions: Sessions, documents: Documents, snapshots: Snapshots, compareLimiter: CostLimiter) {
  const route = (work: (request: ApiRequest, session: Session, docId: string) => Promise<ApiReply>) =>
    inDocument(sessions, documents, (request, session, record) => work(request, session, record.id))

  router.add(
    'GET',
    '/api/docs/:id/snapshots',
    route(async (request, _session, docId) => {
      const auto = request.url.searchParams.get('auto')
      const list = await snapshots.list(docId)
      return { status: 200, body: auto === null ? list : list.filter((s) => String(s.auto) === auto) }
    }),
  )
  router.add(
    'POST',
    '/api/docs/:id/snapshots',
    route(async (request, { user }, docId) => {
      const { name, note } = asObject(await request.json())
      return { status: 201, body: await snapshots.create(docId, user, name, note, originOf(user, request.address)) }
    }),
  )
  router.add(
    'GET',
    '/api/docs/:id/snapshots/:sid',
    route(async (request, _session, docId) => ({ status: 200, body: await snapshots.get(docId, request.params.sid!) })),
  )
  router.add(
    'POST',
    '/api/docs/:id/snapshots/:sid/restore',
    route(async (request, { user }, docId) => ({
      status: 200,
      body: await snapshots.restore(docId, request.params.sid!, user, originOf(user, request.address)),
    })),
  )
  router.add(
    'GET',
    '/api/docs/:id/compare',
    route(async (request, session, docId) => {
      const from = request.url.searchParams.get('from')
      const to = request.url.searchParams.get('to') ?? CURRENT
      if (!from) throw new Refusal('invalid', `Sebutkan versi awal: ?from=<id versi>&to=<id versi atau "${CURRENT}">.`)
      return { status: 200, body: await withinLimit(compareLimiter, session, 'perbandingan versi', () => snapshots.compare(docId, from, to)) }
    }),
  )
}

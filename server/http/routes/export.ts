import type { Sessions } from '../../auth/sessions.js'
import type { Documents } from '../../documents/documents.js'
import { EXPORT_FORMATS, exportDocument, isExportFormat } from '../../export/export.js'
import type { Snapshots } from '../../snapshots/snapshots.js'
import { CURRENT } from '../../../shared/versions.js'
import { inDocument, withinLimit } from '../guard.js'
import type { CostLimiter } from '../../limits/costLimiter.js'
import type { Router } from '../router.js'
import { Refusal } from '../../refusal.js'

/**
 * GET /api/docs/:id/export?format=docx|akn|html[&snapshot=<sid>]: the live draft, or a version.
 * Building a file is expensive, so `limiter` bounds exports per account and at once (429).
 */
export function exportRoutes(router: Router, sessions: Sessions, documents: Documents, snapshots: Snapshots, limiter: CostLimiter) {
  router.add(
    'GET',
    '/api/docs/:id/export',
    inDocument(sessions, documents, async (request, session, record) => {
      const format = request.url.searchParams.get('format')
      if (!isExportFormat(format)) throw new Refusal('invalid', `Format ekspor harus salah satu dari: ${EXPORT_FORMATS.join(', ')}.`)
      const version = request.url.searchParams.get('snapshot') ?? CURRENT
      const file = await withinLimit(limiter, session, 'ekspor', async () => {
        const found = await snapshots.document(record.id, version)
        return exportDocument(found.doc, format, { docId: record.id, title: record.title, date: found.date.slice(0, 10), meta: record.meta })
      })
      return {
        status: 200,
        file: { bytes: file.body, contentType: file.contentType },
        headers: { 'Content-Disposition': `${format === 'html' ? 'inline' : 'attachment'}; filename="${file.filename}"` },
      }
    }),
  )
}

import type { Sessions } from '../../auth/sessions.js'
import type { Documents } from '../../documents/documents.js'
import type { ExportSuggestions } from '../../export/export.js'
import { AMENDMENT_FORMATS, EXPORT_FORMATS, isExportFormat, needsSuggestions } from '../../export/formats.js'
import type { Snapshots } from '../../snapshots/snapshots.js'
import type { Amendments } from '../../amendments/amendments.js'
import { isAmendment } from '../../../shared/amendment/articles.js'
import type { Suggestions } from '../../suggestions/suggestions.js'
import { CURRENT } from '../../../shared/versions.js'
import { inDocument, withinLimit } from '../guard.js'
import type { CostLimiter } from '../../limits/costLimiter.js'
import type { Router } from '../router.js'
import { Refusal } from '../../refusal.js'
import type { AuditStorage } from '../../storage/types.js'
import { originOf } from '../../../shared/audit.js'
import { metrics } from '../../metrics.js'
import { lazyModule } from '../../lazyModule.js'

/** The file builders and their Word library: most servers go days without an export. */
const exporter = lazyModule('export', () => import('../../export/export.js'))

/**
 * GET /api/docs/:id/export?format=docx|akn|html[&snapshot=<sid>]: the live draft, or a version.
 * An amendment draft is numbered against its base in every format, and has three more:
 * `terpadu` (the naskah terpadu as DOCX), `perubahan` and `perubahan-html` (the amendment
 * regulation, Pasal I and II, as DOCX and for print).
 * `format=docx&usulan=1`: the live draft with its open suggestions as Word tracked changes;
 * `format=matriks`: the matriks harmonisasi of its suggestions. Building a file is expensive, so
 * `limiter` bounds exports per account and at once (429). Every export is recorded in the audit
 * log (it writes nothing else, so the entry is its own write).
 */
export function exportRoutes(
  router: Router,
  sessions: Sessions,
  documents: Documents,
  snapshots: Snapshots,
  amendments: Amendments,
  suggestions: Suggestions,
  limiter: CostLimiter,
  audit: AuditStorage,
) {
  router.add(
    'GET',
    '/api/docs/:id/export',
    inDocument(sessions, documents, async (request, session, record) => {
      const format = request.url.searchParams.get('format')
      if (!isExportFormat(format)) throw new Refusal('invalid', `Format ekspor harus salah satu dari: ${EXPORT_FORMATS.join(', ')}.`)
      if (AMENDMENT_FORMATS.includes(format) && !isAmendment(record.meta))
        throw new Refusal('invalid', 'Naskah terpadu dan naskah perubahan hanya ada untuk rancangan perubahan.')
      const version = request.url.searchParams.get('snapshot') ?? CURRENT
      const usulan = needsSuggestions(format, request.url.searchParams.get('usulan') === '1')
      // Suggestions are placed in the live draft; a version has other positions.
      if (usulan && version !== CURRENT) throw new Refusal('invalid', 'Usulan perubahan hanya dapat diekspor dari naskah terkini, bukan dari versi.')
      const file = await withinLimit(limiter, session, 'ekspor', async () => {
        const { exportDocument } = await exporter()
        if (usulan) {
          const { view, suggestions: all } = await suggestions.copyOfDraft(record.id)
          try {
            const placed: Array<ExportSuggestions['placed'][number]> = []
            for (const suggestion of all) {
              const placement = view.place(suggestion, true)
              if (placement.status === 'applies') placed.push({ suggestion, from: placement.from, to: placement.to })
            }
            const details = { docId: record.id, title: record.title, date: new Date().toISOString(), meta: record.meta, suggestions: { all, placed } }
            return await exportDocument(view.doc, format, details)
          } finally {
            view.ydoc.destroy()
          }
        }
        if (isAmendment(record.meta)) {
          const texts = await amendments.texts(record, version)
          const details = { docId: record.id, title: record.title, date: texts.date.slice(0, 10), meta: record.meta, base: texts.base }
          return exportDocument(texts.consolidated, format, details)
        }
        const found = await snapshots.document(record.id, version)
        return exportDocument(found.doc, format, { docId: record.id, title: record.title, date: found.date.slice(0, 10), meta: record.meta })
      })
      const target = version === CURRENT ? `${record.id} (${format})` : `${record.id}/${version} (${format})`
      await audit.appendAudit({ ...originOf(session.user, request.address), action: 'export', target })
      metrics.exports.inc({ format })
      return {
        status: 200,
        file: { bytes: file.body, contentType: file.contentType },
        headers: { 'Content-Disposition': `${format === 'html' ? 'inline' : 'attachment'}; filename="${file.filename}"` },
      }
    }),
  )
}

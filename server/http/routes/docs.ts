import { canAdminister, canEdit } from '../../../shared/accounts.js'
import type { Sessions } from '../../auth/sessions.js'
import type { Documents } from '../../documents/documents.js'
import type { Amendments } from '../../amendments/amendments.js'
import {
  MetaError,
  normaliseMeta,
  normaliseTitle,
  MAX_TITLE,
  type DocumentListing,
  type DocumentRecord,
  type DraftMeta,
  type ImportedDocument,
} from '../../../shared/documents.js'
import { asObject } from '../body.js'
import { authenticated, inDocument, requireRole, withinLimit } from '../guard.js'
import type { CostLimiter } from '../../limits/costLimiter.js'
import type { ArchiveLimits } from '../../import/docxArchive.js'
import type { Router } from '../router.js'
import { Refusal } from '../../refusal.js'
import { originOf } from '../../../shared/audit.js'
import { lazyModule } from '../../lazyModule.js'

/** Field by field, so a field added to the stored record is never sent by accident. */
const describe = (record: DocumentRecord): DocumentRecord & { archived: boolean } => ({
  id: record.id,
  title: record.title,
  createdAt: record.createdAt,
  epoch: record.epoch,
  meta: record.meta,
  archived: record.archived === true,
})

/** A listed draft: its record and its last change. */
const describeListing = (listing: DocumentListing): DocumentListing => ({
  ...describe(listing),
  archived: listing.archived,
  modified: listing.modified,
})

/** Indonesian names of the metadata fields, for refusals. */
const FIELD_NAMES: Record<keyof DraftMeta, string> = {
  jenis: 'Jenis peraturan',
  daerah: 'Daerah',
  pejabat: 'Pejabat penanda tangan',
  tempat: 'Tempat penetapan',
  nomor: 'Nomor',
  tahun: 'Tahun',
  amends: 'Peraturan yang diubah',
}

/** Runs `work`, turning metadata it refuses into a 400 that names the field. */
async function acceptMeta<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof MetaError) throw new Refusal('invalid', `${FIELD_NAMES[error.field]} tidak dapat diterima: ${error.message}.`)
    throw error
  }
}

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
/** The Word import (a draft, or tracked changes as suggestions): a few requests a month. */
export const wordImport = lazyModule('import', () => import('../../import/wordImport.js'))
/** Reading one Word file: a generous budget for a long Pergub, a bounded one for a hostile file. */
export const READ_DOCX = { timeoutMs: 30_000, memoryMb: 512 }

export interface ImportOptions {
  readonly maxImportBytes: number
  readonly archive: ArchiveLimits
  /** One import at a time across the server, and a few per account per minute. */
  readonly limiter: CostLimiter
}

/**
 * GET /api/docs (`?archived=1`: the archived ones), POST /api/docs (a new draft, or with `amends` an amendment
 * draft) and POST /api/docs/import (admin), GET /api/docs/:id, GET /api/docs/:id/perubahan (Pasal I and II of an
 * amendment draft), PATCH /api/docs/:id (`meta`: editor, admin; `title`, `archived`: admin).
 */
export function docRoutes(router: Router, sessions: Sessions, documents: Documents, amendments: Amendments, options: ImportOptions) {
  router.add(
    'GET',
    '/api/docs',
    authenticated(sessions, async (request) => {
      const archived = request.url.searchParams.get('archived') === '1'
      return { status: 200, body: (await documents.list({ archived })).map(describeListing) }
    }),
  )

  router.add(
    'POST',
    '/api/docs',
    authenticated(sessions, async (request, session) => {
      requireRole(session, canAdminister)
      const { nama, meta, amends } = asObject(await request.json())
      if (amends !== undefined) {
        // A "Rancangan perubahan": the base is named by id, its citation may be corrected.
        const { documentId, ...citation } = asObject(amends)
        const record = await acceptMeta(() => amendments.create(documentId, citation, originOf(session.user, request.address)))
        return { status: 201, body: describe(record) }
      }
      if (typeof nama !== 'string' || !nama.trim()) throw new Refusal('invalid', 'Isi "nama": pokok pengaturan sesudah kata "tentang".')
      const draftMeta = await acceptMeta(() => normaliseMeta(meta))
      try {
        return { status: 201, body: describe(await documents.createDraft(nama, draftMeta, originOf(session.user, request.address))) }
      } catch (error) {
        if (error instanceof RangeError) throw new Refusal('invalid', 'Nama rancangan terlalu panjang atau memuat karakter yang tidak diizinkan.')
        throw error
      }
    }),
  )

  router.add(
    'POST',
    '/api/docs/import',
    authenticated(sessions, async (request, session) => {
      requireRole(session, canAdminister)
      const type = request.headers['content-type'] ?? ''
      if (!type.startsWith(DOCX) && !type.startsWith('application/octet-stream')) {
        throw new Refusal('unsupported', `Kirim berkas Word (.docx) dengan Content-Type ${DOCX}.`)
      }
      return withinLimit(options.limiter, session, 'impor', async () => {
        const bytes = await request.bytes(options.maxImportBytes)
        const { readDocxDraft, unmatchedBaseEntry } = await wordImport()
        const draft = await readDocxDraft(bytes, { ...READ_DOCX, archive: options.archive })
        const origin = originOf(session.user, request.address)
        // An amendment regulation whose base is among the drafts becomes an amendment draft of it.
        const cited = draft.amendment?.base
        const outcome = cited && (await acceptMeta(() => amendments.importAmendment({ ...draft.amendment!, base: cited, meta: draft.meta }, origin)))
        const record = outcome && 'record' in outcome ? outcome.record : await acceptMeta(() => documents.importDraft(draft, origin))
        const report =
          outcome && 'unmatched' in outcome
            ? [
                ...draft.report,
                unmatchedBaseEntry(
                  outcome.unmatched,
                  cited,
                  'base' in outcome ? outcome.base.title : '',
                  'point' in outcome ? outcome.point : undefined,
                ),
              ]
            : draft.report
        const amendment = draft.amendment ? { base: draft.amendment.base, points: draft.amendment.points } : {}
        const body: ImportedDocument = { ...describe(record), ...draft.counts, report, ...amendment }
        return { status: 201, body }
      })
    }),
  )

  router.add(
    'GET',
    '/api/docs/:id',
    inDocument(sessions, documents, (_request, _session, record) => ({ status: 200, body: describe(record) })),
  )

  router.add(
    'GET',
    '/api/docs/:id/perubahan',
    inDocument(sessions, documents, async (_request, _session, record) => ({ status: 200, body: await amendments.articles(record) })),
  )

  router.add(
    'PATCH',
    '/api/docs/:id',
    inDocument(sessions, documents, async (request, session, record) => {
      const { meta, title, archived } = asObject(await request.json())
      if (meta === undefined && title === undefined && archived === undefined) {
        throw new Refusal('invalid', 'Kirim "meta" (data naskah), "title" (nama baru) atau "archived" (true atau false).')
      }
      requireRole(session, title === undefined && archived === undefined ? canEdit : canAdminister)
      const newTitle = title === undefined ? undefined : normaliseTitle(title)
      if (newTitle === null) throw new Refusal('invalid', `Nama rancangan harus 1–${MAX_TITLE} karakter teks.`)
      if (archived !== undefined && typeof archived !== 'boolean') throw new Refusal('invalid', '"archived" harus true atau false.')
      if (meta !== undefined && (typeof meta !== 'object' || meta === null)) throw new Refusal('invalid', 'Kirim "meta": data naskah yang diubah.')
      const origin = originOf(session.user, request.address)
      let updated = record
      if (meta !== undefined) updated = await acceptMeta(() => documents.updateMeta(record.id, meta))
      if (newTitle !== undefined && newTitle !== updated.title) updated = await documents.rename(record.id, newTitle, origin)
      if (archived !== undefined && archived !== (updated.archived === true)) updated = await documents.setArchived(record.id, archived, origin)
      return { status: 200, body: describe(updated) }
    }),
  )
}

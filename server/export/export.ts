import type { Node } from 'prosemirror-model'
import type { Suggestion } from '../../shared/suggestions.js'
import { toRegulation } from './regulation.js'
import { toHtml } from './html.js'
import { toAkn, workOf } from './akn.js'
import { toDocx } from './docx.js'
import { matriksRows, toMatriks } from './matriks.js'
import { NO_REVISIONS, revisionsOf, type PlacedSuggestion } from './revisions.js'
import type { DraftMeta } from '../../shared/documents.js'
import { amendmentArticles, isAmendment, naskahTerpadu } from '../../shared/amendment/articles.js'
import { amendmentNama } from '../../shared/model/wording.js'
import { passiveModifications, toAmendmentAkn } from './amendmentAkn.js'
import { perbandinganRows, toPerbandingan } from './perbandingan.js'
import { amendmentAkn, toAmendmentRegulation } from './amendment.js'
import type { ExportFormat } from './formats.js'

export interface ExportedFile {
  readonly body: Uint8Array | string
  readonly contentType: string
  readonly filename: string
}

/** The suggestions of the draft being exported: all of them, and those whose anchors resolve in it. */
export interface ExportSuggestions {
  readonly all: readonly Suggestion[]
  readonly placed: readonly PlacedSuggestion[]
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

/**
 * A draft (live or a version) as a Word file, Akoma Ntoso XML, a print-ready HTML page, or the
 * matriks harmonisasi of its suggestions. With `suggestions`, the Word file carries the open ones
 * as tracked changes.
 */
export async function exportDocument(
  doc: Node,
  format: ExportFormat,
  details: { docId: string; title: string; date: string; meta: DraftMeta; suggestions?: ExportSuggestions; base?: Node },
): Promise<ExportedFile> {
  // An amendment draft is its naskah terpadu: numbered as the amendment numbers it.
  const base = details.base ?? null
  const amendment = () => {
    if (!base || !isAmendment(details.meta)) throw new RangeError(`exportDocument: format ${format} needs an amendment draft and its base`)
    return { base, meta: details.meta }
  }
  const amended = () => toAmendmentRegulation(amendment().base, doc, amendment().meta)
  const aknOptions = { docId: details.docId, date: details.date }
  switch (format) {
    case 'docx': {
      const revisions = details.suggestions ? revisionsOf(doc, details.suggestions.placed) : NO_REVISIONS
      const name = details.suggestions ? `${details.docId}-usulan.docx` : `${details.docId}.docx`
      return { body: await toDocx(toRegulation(doc, details.meta, revisions, base)), contentType: DOCX, filename: name }
    }
    case 'terpadu':
      if (!base) throw new RangeError('exportDocument: format terpadu needs the base of an amendment draft')
      return {
        body: await toDocx(toRegulation(naskahTerpadu(base, doc), details.meta, NO_REVISIONS, base)),
        contentType: DOCX,
        filename: `${details.docId}-terpadu.docx`,
      }
    case 'perubahan':
      return { body: await toDocx(amended()), contentType: DOCX, filename: `${details.docId}-perubahan.docx` }
    case 'perubahan-html':
      return { body: toHtml(amended(), details.title), contentType: 'text/html; charset=utf-8', filename: `${details.docId}-perubahan.html` }
    case 'perubahan-akn':
      return {
        body: toAmendmentAkn(amendmentAkn(amendment().base, doc, amendment().meta), aknOptions),
        contentType: 'application/akn+xml; charset=utf-8',
        filename: `${details.docId}-perubahan.akn.xml`,
      }
    case 'perbandingan': {
      const { base: frozen, meta } = amendment()
      const rows = perbandinganRows(
        frozen,
        amendmentArticles(frozen, doc, meta).points.map(({ point }) => point),
      )
      return { body: await toPerbandingan(rows, amendmentNama(meta.amends)), contentType: DOCX, filename: `${details.docId}-tabel-perbandingan.docx` }
    }
    case 'akn': {
      // The naskah terpadu of an amendment draft says which units the amendment changed (passiveModifications).
      const passive =
        base && isAmendment(details.meta)
          ? passiveModifications(
              amendmentArticles(base, doc, details.meta).points.map(({ point }) => point),
              workOf(details.meta, aknOptions),
            )
          : ''
      return {
        body: toAkn(toRegulation(doc, details.meta, NO_REVISIONS, base), { ...aknOptions, ...(passive ? { analysis: passive } : {}) }),
        contentType: 'application/akn+xml; charset=utf-8',
        filename: `${details.docId}.akn.xml`,
      }
    }
    case 'html':
      return {
        body: toHtml(toRegulation(doc, details.meta, NO_REVISIONS, base), details.title),
        contentType: 'text/html; charset=utf-8',
        filename: `${details.docId}.html`,
      }
    case 'matriks': {
      const { all, placed } = details.suggestions ?? { all: [], placed: [] }
      return {
        body: await toMatriks(matriksRows(doc, all, placed), details.title, details.date),
        contentType: DOCX,
        filename: `${details.docId}-matriks-harmonisasi.docx`,
      }
    }
  }
}

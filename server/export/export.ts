import type { Node } from 'prosemirror-model'
import { toRegulation } from './regulation.js'
import { toHtml } from './html.js'
import { toAkn } from './akn.js'
import { toDocx } from './docx.js'
import type { DraftMeta } from '../../shared/documents.js'

export const EXPORT_FORMATS = ['docx', 'akn', 'html'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export const isExportFormat = (value: unknown): value is ExportFormat =>
  typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value)

export interface ExportedFile {
  readonly body: Uint8Array | string
  readonly contentType: string
  readonly filename: string
}

/** A draft (live or a version) as a Word file, Akoma Ntoso XML, or a print-ready HTML page. */
export async function exportDocument(
  doc: Node,
  format: ExportFormat,
  details: { docId: string; title: string; date: string; meta: DraftMeta },
): Promise<ExportedFile> {
  const regulation = toRegulation(doc, details.meta)
  switch (format) {
    case 'docx':
      return {
        body: await toDocx(regulation),
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        filename: `${details.docId}.docx`,
      }
    case 'akn':
      return {
        body: toAkn(regulation, { docId: details.docId, date: details.date }),
        contentType: 'application/akn+xml; charset=utf-8',
        filename: `${details.docId}.akn.xml`,
      }
    case 'html':
      return { body: toHtml(regulation, details.title), contentType: 'text/html; charset=utf-8', filename: `${details.docId}.html` }
  }
}

import type { Node } from 'prosemirror-model'
import type { AmendmentBase, DocumentRecord, DraftMeta } from '../../shared/documents.js'
import type { AmendmentPoint } from '../../shared/amendment/points.js'
import { applyAmendment } from '../../shared/amendment/apply.js'
import type { AuditOrigin } from '../../shared/audit.js'
import { amendmentArticles, isAmendment, type AmendmentArticles } from '../../shared/amendment/articles.js'
import { amendedCitation } from '../../shared/model/wording.js'
import { CURRENT } from '../../shared/versions.js'
import type { Documents, ImportedAmendment } from '../documents/documents.js'
import type { Snapshots } from '../snapshots/snapshots.js'
import { Refusal } from '../refusal.js'

/** The base text and the consolidated text of an amendment draft, read at one moment. */
export interface AmendmentTexts {
  readonly base: Node
  readonly consolidated: Node
  /** When the consolidated text was read (ISO 8601), or the version's date. */
  readonly date: string
}

/** An amendment regulation read from a Word file: the base its judul cites, the points of its Pasal I, its own metadata. */
export interface WordAmendment {
  readonly base: AmendmentBase
  readonly points: readonly AmendmentPoint[]
  /** Whether every point of Pasal I was read (with the Lampiran it names): only then is the consolidated text whole. */
  readonly complete: boolean
  readonly meta?: Partial<DraftMeta>
}

/**
 * What became of a Word amendment: an amendment draft of its base, or why it stays a draft of its
 * own with Pasal I as text (`no-base`: no draft is the base; `incomplete`: a point was not read;
 * `not-applicable`: a point names a unit the base does not have, `point` its 1-based number).
 */
export type WordAmendmentOutcome =
  | { readonly record: DocumentRecord }
  | { readonly unmatched: 'no-base' }
  | { readonly unmatched: 'incomplete' | 'not-applicable'; readonly base: DocumentRecord; readonly point?: number }

/** "applyAmendment: point 3 names …": the point's number, to name it in the report. */
const POINT_NUMBER = /point (\d+)/

/** Whether a draft is the regulation an amendment cites: same kind, region, number and year, and not itself an amendment. */
const isCited = (meta: DraftMeta, base: AmendmentBase) =>
  !meta.amends &&
  meta.jenis === base.jenis &&
  meta.nomor === base.nomor &&
  meta.tahun === base.tahun &&
  (!base.daerah || meta.daerah.toLowerCase() === base.daerah.toLowerCase())

/**
 * Amendment drafts ("Rancangan perubahan"): creating one from a base draft, with the base text
 * frozen as a version of the new draft, and reading back base and consolidated text for Pasal I
 * and the exports.
 */
export class Amendments {
  readonly #documents: Documents
  readonly #snapshots: Snapshots

  constructor(documents: Documents, snapshots: Snapshots) {
    this.#documents = documents
    this.#snapshots = snapshots
  }

  /**
   * Creates an amendment draft of the draft `documentId` as its text stands now. `citation`
   * (untrusted) corrects how the base is cited; refused with `not-found` for an unknown base.
   */
  async create(documentId: unknown, citation: unknown, origin?: AuditOrigin): Promise<DocumentRecord> {
    const base = typeof documentId === 'string' ? await this.#documents.get(documentId) : undefined
    if (!base) throw new Refusal('not-found', 'Peraturan yang akan diubah tidak ditemukan.')
    const { doc } = await this.#snapshots.document(base.id, CURRENT)
    return this.#documents.createAmendment(base, doc, citation, (id) => this.#snapshots.freeze(id, doc, `Naskah dasar: ${base.title}`), origin)
  }

  /**
   * Takes over an amendment regulation read from Word as an amendment draft of its base, when the
   * base is among the drafts (the most recently active of those `isCited`): the consolidated text
   * is the base with Pasal I carried out (`applyAmendment`), so Pasal I generated from the draft
   * words the same points. Otherwise says why not; the caller then keeps Pasal I as text.
   */
  async importAmendment(amendment: WordAmendment, origin?: AuditOrigin): Promise<WordAmendmentOutcome> {
    const base = (await this.#documents.list()).find((listing) => isCited(listing.meta, amendment.base))
    if (!base) return { unmatched: 'no-base' }
    if (!amendment.complete) return { unmatched: 'incomplete', base }
    const { doc } = await this.#snapshots.document(base.id, CURRENT)
    let consolidated: Node
    try {
      consolidated = applyAmendment(doc, amendment.points)
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      const point = Number(POINT_NUMBER.exec(error.message)?.[1])
      return { unmatched: 'not-applicable', base, ...(point ? { point } : {}) }
    }
    const { jenis, nomor, tahun } = amendment.base
    const imported: ImportedAmendment = { meta: amendment.meta, consolidated }
    const freeze = (id: string) => this.#snapshots.freeze(id, doc, `Naskah dasar: ${base.title}`)
    return { record: await this.#documents.createAmendment(base, doc, { jenis, nomor, tahun }, freeze, origin, imported) }
  }

  /** The base and consolidated text of an amendment draft (`version`: a version of it instead of the live text). */
  async texts(record: DocumentRecord, version: string = CURRENT): Promise<AmendmentTexts> {
    if (!isAmendment(record.meta)) throw new Refusal('not-found', 'Naskah ini bukan rancangan perubahan.')
    const [base, consolidated] = await Promise.all([
      this.#snapshots.document(record.id, record.meta.amends.versionId),
      this.#snapshots.document(record.id, version),
    ])
    return { base: base.doc, consolidated: consolidated.doc, date: consolidated.date }
  }

  /** Pasal I and II of an amendment draft as it stands. */
  async articles(record: DocumentRecord): Promise<AmendmentArticles & { readonly citation: string }> {
    const { base, consolidated } = await this.texts(record)
    const meta = record.meta
    if (!isAmendment(meta)) throw new Refusal('not-found', 'Naskah ini bukan rancangan perubahan.')
    return { citation: amendedCitation(meta, meta.amends), ...amendmentArticles(base, consolidated, meta) }
  }
}

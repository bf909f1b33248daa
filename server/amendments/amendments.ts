import type { Node } from 'prosemirror-model'
import type { DocumentRecord } from '../../shared/documents.js'
import type { AuditOrigin } from '../../shared/audit.js'
import { amendmentArticles, isAmendment, type AmendmentArticles } from '../../shared/amendment/articles.js'
import { amendedCitation } from '../../shared/model/wording.js'
import { CURRENT } from '../../shared/versions.js'
import type { Documents } from '../documents/documents.js'
import type { Snapshots } from '../snapshots/snapshots.js'
import { Refusal } from '../refusal.js'

/** The base text and the consolidated text of an amendment draft, read at one moment. */
export interface AmendmentTexts {
  readonly base: Node
  readonly consolidated: Node
  /** When the consolidated text was read (ISO 8601), or the version's date. */
  readonly date: string
}

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

import { randomBytes } from 'node:crypto'
import type { Node } from 'prosemirror-model'
import { encodeDocument } from '../../shared/model/ydoc.js'
import { convertTypedReferences } from '../../shared/model/references.js'
import { isDocumentId } from '../storage/keys.js'
import { UnknownDocumentError, type DocumentStorage, type SettingStorage } from '../storage/types.js'
import { KeyedQueue } from '../keyedQueue.js'
import {
  DEFAULT_META,
  MAX_TITLE,
  normaliseAmends,
  normaliseMeta,
  type AmendedRegulation,
  type DocumentListing,
  type DocumentRecord,
  type DraftMeta,
} from '../../shared/documents.js'
import { audited, type AuditAction, type AuditEvent, type AuditOrigin } from '../../shared/audit.js'
import { RAPERGUB_SPBE_ID, RAPERGUB_SPBE_TITLE, createRapergubSpbe } from './rapergub-spbe.js'
import { amendmentDraft, newDraft, titleCase } from './template.js'
import { amendmentNama, draftTitle, retitled } from '../../shared/model/wording.js'
import { upgradeDocument } from '../../shared/model/legacy.js'
import { encodeDraftMeta } from '../../shared/protocol/messages.js'
import { hasUnprintable } from '../../shared/text.js'

/** A draft read from elsewhere (a Word file): kind and subject of the regulation, its metadata, and its content. */
export interface ImportedDraft {
  readonly jenis: string
  readonly nama: string
  /** What was recognised of the metadata (untrusted: normalised with `normaliseMeta`); the rest takes defaults. */
  readonly meta?: Partial<DraftMeta>
  readonly doc: Node
}

/**
 * An amendment regulation read from a Word file, as an amendment draft takes it over: its own
 * metadata (its number, its signatory; untrusted) and its consolidated text, the base with its
 * Pasal I carried out.
 */
export interface ImportedAmendment {
  readonly meta?: Partial<DraftMeta>
  readonly consolidated: Node
}

/** Sends an extension message to every open editor of a draft (the rooms do; nothing when none is open). */
export type Publish = (docId: string, message: Uint8Array) => void

const SEEDED = 'seeded'

/** A URL-safe id from a name: "Pengelolaan Data" → "pengelolaan-data-k3x9". */
function slug(name: string): string {
  const base = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '')
  return `${base || 'rancangan'}-${randomBytes(3).toString('hex')}`
}

/** The subject of a draft's title, after "tentang". */
const subjectOf = (title: string): string => / tentang (.+)$/s.exec(title)?.[1] ?? title

/** The drafts the server holds: listing, creating (from the template) and first-start seeding. */
export class Documents {
  readonly #storage: DocumentStorage & SettingStorage
  readonly #publish: Publish
  readonly #changes = new KeyedQueue()

  constructor(storage: DocumentStorage & SettingStorage, publish: Publish) {
    this.#storage = storage
    this.#publish = publish
  }

  /**
   * The drafts, most recently changed first (a draft never changed counts from its creation):
   * archived ones when `archived`, the others otherwise.
   */
  async list({ archived = false } = {}): Promise<DocumentListing[]> {
    const [records, modified] = await Promise.all([this.#storage.listDocuments(), this.#storage.listLastModified()])
    const active = (listing: DocumentListing) => listing.modified?.at ?? listing.createdAt
    return records
      .map((record) => ({ ...record, archived: record.archived === true, modified: modified.get(record.id) ?? null }))
      .filter((listing) => listing.archived === archived)
      .sort((a, b) => active(b).localeCompare(active(a)))
  }

  /** Gives a draft a new title (already normalised: `normaliseTitle`), recorded in the audit log. */
  rename(id: string, title: string, origin: AuditOrigin): Promise<DocumentRecord> {
    return this.#changeRecord(
      id,
      (record) => ({ ...record, title }),
      (record) => audited(origin, 'document.renamed', id, `${record.title} → ${title}`),
    )
  }

  /** Archives a draft (hidden from the list, kept whole) or takes it out of the archive, recorded in the audit log. */
  setArchived(id: string, archived: boolean, origin: AuditOrigin): Promise<DocumentRecord> {
    return this.#changeRecord(
      id,
      ({ archived: _was, ...record }) => (archived ? { ...record, archived: true } : record),
      (record) => audited(origin, archived ? 'document.archived' : 'document.unarchived', id, record.title),
    )
  }

  get(id: string): Promise<DocumentRecord | undefined> {
    return isDocumentId(id) ? this.#storage.getDocument(id) : Promise.resolve(undefined)
  }

  /**
   * Creates a new draft from the template, of the kind and region `meta` says. `nama` is the
   * subject after "tentang", e.g. "Pengelolaan Data"; throws RangeError when it is empty, too long
   * or not text.
   */
  async createDraft(nama: string, meta: DraftMeta = DEFAULT_META, origin?: AuditOrigin): Promise<DocumentRecord> {
    const subject = nama.replace(/\s+/g, ' ').trim()
    if (!subject || subject.length > MAX_TITLE || hasUnprintable(subject)) throw new RangeError(`nama must be 1–${MAX_TITLE} characters of text`)
    return this.#create(
      slug(subject),
      draftTitle(meta, titleCase(subject)).slice(0, MAX_TITLE),
      convertTypedReferences(newDraft(subject, meta)),
      meta,
      origin && { origin, action: 'document.created' },
    )
  }

  /**
   * Changes a draft's metadata (`change` untrusted, see `normaliseMeta`; throws its `MetaError`)
   * and with it the kind and region in its title, then pushes it to every open editor of the draft.
   */
  async updateMeta(id: string, change: unknown): Promise<DocumentRecord> {
    const updated = await this.#changeRecord(id, (record) => {
      const meta = normaliseMeta(change, record.meta)
      return { ...record, title: retitled(record.title, meta).slice(0, MAX_TITLE), meta }
    })
    this.#publish(id, encodeDraftMeta(updated.meta))
    return updated
  }

  /** Replaces a draft's record with `change` of it; the audit event (of the record before) rides in the same write. */
  #changeRecord(id: string, change: (record: DocumentRecord) => DocumentRecord, audit?: (record: DocumentRecord) => AuditEvent | undefined) {
    // One change at a time per draft, each applied to the record the one before it stored.
    return this.#changes.run(id, async () => {
      const record = await this.#storage.getDocument(id)
      if (!record) throw new UnknownDocumentError(id)
      const updated = change(record)
      await this.#storage.updateDocument(updated, audit?.(record))
      return updated
    })
  }

  /**
   * Creates an amendment draft of `base` (whose text is `baseDoc`): its consolidated text starts as
   * a copy of the base (see `amendmentDraft`), its metadata is the base's with no number yet and
   * the citation of the base. `citation` (untrusted) corrects the citation taken from the base
   * (jenis, nomor, tahun, nama; see `normaliseAmends`, which throws `MetaError`). `freeze` stores
   * the base text as a version of the new draft's id and returns the version id. With `imported`
   * (an amendment regulation read from Word), the consolidated text and the metadata are its own.
   */
  async createAmendment(
    base: DocumentRecord,
    baseDoc: Node,
    citation: unknown,
    freeze: (id: string) => Promise<string>,
    origin?: AuditOrigin,
    imported?: ImportedAmendment,
  ): Promise<DocumentRecord> {
    const { amends: _baseCitation, ...baseMeta } = base.meta
    const cited = normaliseAmends(citation ?? {}, {
      documentId: base.id,
      versionId: base.id,
      jenis: base.meta.jenis,
      nomor: base.meta.nomor,
      tahun: base.meta.tahun,
      nama: titleCase(baseDoc.child(0).lastChild?.textContent ?? '') || subjectOf(base.title),
    })
    const id = slug(`perubahan ${cited.nama}`)
    const amends: AmendedRegulation = { ...cited, versionId: await freeze(id) }
    const meta: DraftMeta = imported ? { ...normaliseMeta(imported.meta), amends } : { ...baseMeta, nomor: null, tahun: null, amends }
    return this.#create(
      id,
      draftTitle(meta, amendmentNama(amends)).slice(0, MAX_TITLE),
      amendmentDraft(imported ? convertTypedReferences(upgradeDocument(imported.consolidated)) : baseDoc, meta, amends),
      meta,
      origin && { origin, action: imported ? 'document.imported' : 'document.created' },
    )
  }

  /** Creates a draft from one read from a Word file; its typed references become live ones. */
  importDraft(draft: ImportedDraft, origin?: AuditOrigin): Promise<DocumentRecord> {
    const title = `Rancangan ${titleCase(draft.jenis)} tentang ${titleCase(draft.nama)}`.slice(0, MAX_TITLE)
    return this.#create(
      slug(draft.nama),
      title,
      convertTypedReferences(upgradeDocument(draft.doc)),
      normaliseMeta(draft.meta),
      origin && { origin, action: 'document.imported' },
    )
  }

  /** On the very first start, creates the sample draft. Returns whether it did. */
  async seedOnFirstStart(): Promise<boolean> {
    if (await this.#storage.getSetting(SEEDED)) return false
    if (!(await this.#storage.getDocument(RAPERGUB_SPBE_ID))) {
      // The sample is written as plain text; its "sebagaimana dimaksud dalam Pasal 14" become live references.
      await this.#create(RAPERGUB_SPBE_ID, RAPERGUB_SPBE_TITLE, convertTypedReferences(createRapergubSpbe()), DEFAULT_META)
    }
    await this.#storage.putSetting(SEEDED, new Uint8Array([1]))
    return true
  }

  /** `by`: who asked, recorded in the audit log with the new document (the sample has nobody). */
  async #create(
    id: string,
    title: string,
    content: Node,
    meta: DraftMeta,
    by?: { origin: AuditOrigin; action: AuditAction },
  ): Promise<DocumentRecord> {
    const record: DocumentRecord = { id, title, createdAt: new Date().toISOString(), epoch: randomBytes(8).toString('hex'), meta }
    await this.#storage.createDocument(record, encodeDocument(content), by && audited(by.origin, by.action, id, title))
    return record
  }
}

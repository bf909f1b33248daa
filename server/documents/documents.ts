import { randomBytes } from 'node:crypto'
import type { Node } from 'prosemirror-model'
import { encodeDocument } from '../../shared/model/ydoc.js'
import { convertTypedReferences } from '../../shared/model/references.js'
import { isDocumentId } from '../storage/keys.js'
import { UnknownDocumentError, type DocumentStorage, type SettingStorage } from '../storage/types.js'
import { KeyedQueue } from '../keyedQueue.js'
import { DEFAULT_META, normaliseMeta, type DocumentRecord, type DraftMeta } from '../../shared/documents.js'
import { RAPERGUB_SPBE_ID, RAPERGUB_SPBE_TITLE, createRapergubSpbe } from './rapergub-spbe.js'
import { newDraft, titleCase } from './template.js'
import { draftTitle } from '../../shared/model/wording.js'
import { upgradeDocument } from '../../shared/model/legacy.js'
import { encodeDraftMeta } from '../../shared/protocol/messages.js'
import type { RoomAccess } from '../rooms/hooks.js'
import { hasUnprintable } from '../../shared/text.js'

/** A draft read from elsewhere (a Word file): kind and subject of the regulation, its metadata, and its content. */
export interface ImportedDraft {
  readonly jenis: string
  readonly nama: string
  /** What was recognised of the metadata (untrusted: normalised with `normaliseMeta`); the rest takes defaults. */
  readonly meta?: Partial<DraftMeta>
  readonly doc: Node
}

const SEEDED = 'seeded'
/** The subject in a draft's title, after the first " tentang ". */
const TENTANG = / tentang (.+)$/s
const MAX_TITLE = 200

/** The title with the kind and region of `meta` in place of the old ones; the subject after "tentang" stays. */
function retitle(record: DocumentRecord, meta: DraftMeta): string {
  const subject = TENTANG.exec(record.title)?.[1]
  return subject ? draftTitle(meta, subject).slice(0, MAX_TITLE) : record.title
}

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

/** The drafts the server holds: listing, creating (from the template) and first-start seeding. */
export class Documents {
  readonly #storage: DocumentStorage & SettingStorage
  readonly #rooms: Pick<RoomAccess, 'peek'>
  readonly #changes = new KeyedQueue()

  constructor(storage: DocumentStorage & SettingStorage, rooms: Pick<RoomAccess, 'peek'>) {
    this.#storage = storage
    this.#rooms = rooms
  }

  list(): Promise<DocumentRecord[]> {
    return this.#storage.listDocuments()
  }

  get(id: string): Promise<DocumentRecord | undefined> {
    return isDocumentId(id) ? this.#storage.getDocument(id) : Promise.resolve(undefined)
  }

  /**
   * Creates a new draft from the template, of the kind and region `meta` says. `nama` is the
   * subject after "tentang", e.g. "Pengelolaan Data"; throws RangeError when it is empty, too long
   * or not text.
   */
  async createDraft(nama: string, meta: DraftMeta = DEFAULT_META): Promise<DocumentRecord> {
    const subject = nama.replace(/\s+/g, ' ').trim()
    if (!subject || subject.length > MAX_TITLE || hasUnprintable(subject)) throw new RangeError(`nama must be 1–${MAX_TITLE} characters of text`)
    return this.#create(
      slug(subject),
      draftTitle(meta, titleCase(subject)).slice(0, MAX_TITLE),
      convertTypedReferences(newDraft(subject, meta)),
      meta,
    )
  }

  /**
   * Changes a draft's metadata (`change` untrusted, see `normaliseMeta`; throws its `MetaError`)
   * and with it the kind and region in its title, then pushes it to every open editor of the draft.
   */
  updateMeta(id: string, change: unknown): Promise<DocumentRecord> {
    // One change at a time per draft, each applied to the metadata the one before it stored.
    return this.#changes.run(id, async () => {
      const record = await this.#storage.getDocument(id)
      if (!record) throw new UnknownDocumentError(id)
      const meta = normaliseMeta(change, record.meta)
      const updated: DocumentRecord = { ...record, title: retitle(record, meta), meta }
      await this.#storage.updateDocument(updated)
      this.#rooms.peek(id)?.broadcastExtension(encodeDraftMeta(meta))
      return updated
    })
  }

  /** Creates a draft from one read from a Word file; its typed references become live ones. */
  importDraft(draft: ImportedDraft): Promise<DocumentRecord> {
    const title = `Rancangan ${titleCase(draft.jenis)} tentang ${titleCase(draft.nama)}`.slice(0, MAX_TITLE)
    return this.#create(slug(draft.nama), title, convertTypedReferences(upgradeDocument(draft.doc)), normaliseMeta(draft.meta))
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

  async #create(id: string, title: string, content: Node, meta: DraftMeta): Promise<DocumentRecord> {
    const record: DocumentRecord = { id, title, createdAt: new Date().toISOString(), epoch: randomBytes(8).toString('hex'), meta }
    await this.#storage.createDocument(record, encodeDocument(content))
    return record
  }
}

import type { StatusRecord } from '../../../../shared/agreement.js'
import type { VersionRef } from '../../../../shared/versions.js'
import { addNotice, isObsolete, noticeText, type LabelOf, type Notice, type NoticeFacts } from './notices.js'

/** A notice as the page shows it: worded now, with the numbers the draft has now. */
export interface ShownNotice {
  readonly id: number
  readonly text: string
  /** For broken references: the notice offers to go to them ("Tampilkan"). */
  readonly brokenReferences?: true
  /** For a restore: the version of what it replaced, to compare with the draft ("Lihat perubahan"). */
  readonly before?: VersionRef
}

/** Where the notices look up what is true now: the live numbering, the agreement statuses and the references pointing nowhere. */
export interface NoticeSources {
  readonly labelOf: LabelOf
  readonly statuses: () => ReadonlyMap<string, StatusRecord>
  readonly brokenReferences: () => number
}

/** Distributes `Omit` over the union, so each kind keeps its own fields. */
type NoticeFact = Notice extends infer N ? (N extends Notice ? Omit<N, 'id'> : never) : never

/**
 * The notices of one open draft (demotions of agreed Pasal, restores, one's own deletion leaving references pointing nowhere). Each is worded when shown,
 * so it follows renumbering (S22), and closes by itself once it no longer says anything true.
 */
export class NoticesStore {
  #list = $state.raw<Notice[]>([])
  #nextId = 0
  /** Restores already told of: the server tells a browser again when it reconnects soon after one. */
  readonly #restoresSeen = new Set<string>()
  readonly #sources: NoticeSources

  constructor(sources: NoticeSources) {
    this.#sources = sources
  }

  /** The notices still worth showing, newest last. */
  get shown(): ShownNotice[] {
    const facts = this.#facts()
    return this.#current().map((notice) => ({
      id: notice.id,
      text: noticeText(notice, facts),
      ...(notice.kind === 'broken-references' ? { brokenReferences: true as const } : {}),
      ...(notice.kind === 'restored' ? { before: notice.restore.before } : {}),
    }))
  }

  add(fact: NoticeFact) {
    if (fact.kind === 'restored') {
      const key = `${fact.restore.version.id}@${fact.restore.at}`
      if (this.#restoresSeen.has(key)) return
      this.#restoresSeen.add(key)
    }
    this.#list = addNotice(this.#current(), { ...fact, id: ++this.#nextId } as Notice)
  }

  dismiss(id: number) {
    this.#list = this.#list.filter((n) => n.id !== id)
  }

  #current(): Notice[] {
    const statuses = this.#sources.statuses()
    const facts = this.#facts()
    return this.#list.filter((notice) => !isObsolete(notice, statuses, facts))
  }

  #facts(): NoticeFacts {
    return { labelOf: this.#sources.labelOf, brokenReferences: this.#sources.brokenReferences() }
  }
}

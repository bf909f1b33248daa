import { STATUS_LABELS, type PasalStatus, type StatusRecord } from '../../../../shared/agreement.js'
import { api } from '../api.js'

/** A change everyone should notice: an agreed Pasal went back to Dibahas because its text changed. */
export interface AgreementNotice {
  readonly id: number
  readonly pasalId: string
  readonly text: string
}

const MAX_NOTICES = 3

/** Agreement status per Pasal in this browser: loaded over HTTP, kept live by the server's pushes. */
export class AgreementStore {
  readonly docId: string
  #statuses = $state.raw<ReadonlyMap<string, StatusRecord>>(new Map())
  #notices = $state.raw<AgreementNotice[]>([])
  #noticeId = 0
  /** Show only Pasal not yet agreed (outline and list). */
  onlyOpen = $state(false)

  constructor(docId: string) {
    this.docId = docId
  }

  get statuses(): ReadonlyMap<string, StatusRecord> {
    return this.#statuses
  }
  get notices(): AgreementNotice[] {
    return this.#notices
  }

  statusOf(pasalId: string): PasalStatus {
    return this.#statuses.get(pasalId)?.status ?? 'draf'
  }

  async load(): Promise<void> {
    const records = await api.get<StatusRecord[]>(this.#base())
    this.#statuses = new Map(records.map((r) => [r.pasalId, r]))
  }

  /** A record pushed by the server; a demotion because of an edit is announced to this user. */
  receive(record: StatusRecord, labelOf: (pasalId: string) => string | undefined) {
    const previous = this.#statuses.get(record.pasalId)
    if (previous && previous.history.length >= record.history.length) return
    this.#statuses = new Map(this.#statuses).set(record.pasalId, record)
    const last = record.history.at(-1)
    if (last?.reason === 'teks-diubah') {
      const label = labelOf(record.pasalId) ?? 'Sebuah pasal'
      const text = `${label} kembali ke ${STATUS_LABELS[record.status]}: teksnya diubah oleh ${last.by.name} (${last.by.bidang}) setelah disepakati.`
      // The newest per Pasal, and only the last few: a busy meeting must not bury the page in notices.
      const others = this.#notices.filter((n) => n.pasalId !== record.pasalId)
      this.#notices = [...others, { id: ++this.#noticeId, pasalId: record.pasalId, text }].slice(-MAX_NOTICES)
    }
  }

  dismiss(id: number) {
    this.#notices = this.#notices.filter((n) => n.id !== id)
  }

  async set(pasalId: string, status: PasalStatus): Promise<void> {
    const record = await api.request<StatusRecord>('PUT', `${this.#base()}/${encodeURIComponent(pasalId)}`, { status })
    // A newer record may already have been pushed (an edit demoted it meanwhile): keep the newest.
    if ((this.#statuses.get(pasalId)?.history.length ?? 0) < record.history.length)
      this.#statuses = new Map(this.#statuses).set(record.pasalId, record)
  }

  #base() {
    return `/api/docs/${encodeURIComponent(this.docId)}/statuses`
  }
}

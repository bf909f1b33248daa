import type { PasalStatus, StatusRecord } from '../../../../shared/agreement.js'
import { api } from '../api.js'

/** Agreement status per Pasal in this browser: loaded over HTTP, kept live by the server's pushes. */
export class AgreementStore {
  readonly docId: string
  #statuses = $state.raw<ReadonlyMap<string, StatusRecord>>(new Map())
  /** Show only Pasal not yet agreed (outline and list). */
  onlyOpen = $state(false)

  constructor(docId: string) {
    this.docId = docId
  }

  get statuses(): ReadonlyMap<string, StatusRecord> {
    return this.#statuses
  }

  statusOf(pasalId: string): PasalStatus {
    return this.#statuses.get(pasalId)?.status ?? 'draf'
  }

  async load(): Promise<void> {
    const records = await api.get<StatusRecord[]>(this.#base())
    this.#statuses = new Map(records.map((r) => [r.pasalId, r]))
  }

  /** A record pushed by the server; returns whether it was newer than the one held (and so taken). */
  receive(record: StatusRecord): boolean {
    const previous = this.#statuses.get(record.pasalId)
    if (previous && previous.history.length >= record.history.length) return false
    this.#statuses = new Map(this.#statuses).set(record.pasalId, record)
    return true
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

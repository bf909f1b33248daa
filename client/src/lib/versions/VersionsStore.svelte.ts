import { CURRENT, type Comparison, type SnapshotMeta, type VersionRef } from '../../../../shared/versions.js'
import { api } from '../api.js'

/** Which versions the list shows. */
export type VersionFilter = 'all' | 'named' | 'auto'

/** What the centre of the page shows instead of the live text. */
export type Viewing =
  | { readonly kind: 'version'; readonly meta: SnapshotMeta; readonly content: unknown }
  | { readonly kind: 'comparison'; readonly from: VersionRef; readonly to: VersionRef | null; readonly comparison: Comparison }

/** The versions of one document, and the version or comparison being looked at. */
export class VersionsStore {
  readonly docId: string
  #list = $state.raw<SnapshotMeta[] | null>(null)
  #viewing = $state.raw<Viewing | null>(null)
  #busy = $state(false)
  filter = $state<VersionFilter>('all')

  constructor(docId: string) {
    this.docId = docId
  }

  get list(): SnapshotMeta[] | null {
    return this.#list
  }
  get shown(): SnapshotMeta[] {
    const list = this.#list ?? []
    return this.filter === 'all' ? list : list.filter((s) => s.auto === (this.filter === 'auto'))
  }
  get viewing(): Viewing | null {
    return this.#viewing
  }
  get busy(): boolean {
    return this.#busy
  }

  async load(): Promise<void> {
    this.#list = await api.get<SnapshotMeta[]>(this.#base())
  }

  async create(name: string, note: string): Promise<SnapshotMeta> {
    const meta = await this.#work(() => api.post<SnapshotMeta>(this.#base(), { name, note }))
    await this.load()
    return meta
  }

  async view(meta: SnapshotMeta): Promise<void> {
    const version = await this.#work(() => api.get<SnapshotMeta & { content: unknown }>(`${this.#base()}/${encodeURIComponent(meta.id)}`))
    this.#viewing = { kind: 'version', meta, content: version.content }
  }

  /** Compares `from` with `to` (null: the live document). */
  async compare(from: VersionRef, to: VersionRef | null): Promise<void> {
    const query = new URLSearchParams({ from: from.id, to: to?.id ?? CURRENT })
    const comparison = await this.#work(() => api.get<Comparison>(`/api/docs/${encodeURIComponent(this.docId)}/compare?${query}`))
    this.#viewing = { kind: 'comparison', from, to, comparison }
  }

  async restore(meta: SnapshotMeta): Promise<void> {
    await this.#work(() => api.post(`${this.#base()}/${encodeURIComponent(meta.id)}/restore`))
    this.#viewing = null
    await this.load()
  }

  close() {
    this.#viewing = null
  }

  async #work<T>(task: () => Promise<T>): Promise<T> {
    this.#busy = true
    try {
      return await task()
    } finally {
      this.#busy = false
    }
  }

  #base() {
    return `/api/docs/${encodeURIComponent(this.docId)}/snapshots`
  }
}

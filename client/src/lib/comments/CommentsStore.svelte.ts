import { openCountByPasal, type Anchor, type Thread } from '../../../../shared/comments.js'
import { api } from '../api.js'

/** Which threads the panel lists. */
export type StatusFilter = 'open' | 'resolved' | 'all'

/**
 * The comment threads of one document in this browser: loaded over HTTP, kept live by the pushes
 * the server sends on the document's WebSocket, changed only through the API (the server decides).
 */
export class CommentsStore {
  readonly docId: string
  #threads = $state.raw<ReadonlyMap<string, Thread>>(new Map())
  readonly #openCounts = $derived(openCountByPasal(this.#threads.values()))
  #loaded = $state(false)
  #error = $state<string | null>(null)
  status = $state<StatusFilter>('open')
  /** Only threads opened by this bidang; null for all. */
  bidang = $state<string | null>(null)

  constructor(docId: string) {
    this.docId = docId
  }

  get threads(): ReadonlyMap<string, Thread> {
    return this.#threads
  }
  /** Open threads per Pasal id (outline counts). */
  get openCounts(): ReadonlyMap<string, number> {
    return this.#openCounts
  }
  get loaded(): boolean {
    return this.#loaded
  }
  get error(): string | null {
    return this.#error
  }

  /** Bidang that opened at least one thread, for the filter. */
  get bidangs(): string[] {
    return [...new Set([...this.#threads.values()].map((t) => t.messages[0]?.author.bidang).filter((b): b is string => Boolean(b)))].sort()
  }

  /** Whether a thread passes the status and bidang filters. */
  shown(thread: Thread): boolean {
    if (this.status !== 'all' && thread.status !== this.status) return false
    return this.bidang === null || thread.messages[0]?.author.bidang === this.bidang
  }

  /** (Re)loads every thread; called on each (re)connection, so nothing missed while away stays missing. */
  async load(): Promise<void> {
    try {
      const threads = await api.get<Thread[]>(`${this.#base()}`)
      const next = new Map(this.#threads)
      for (const thread of threads) this.#merge(next, thread)
      this.#threads = next
      this.#loaded = true
      this.#error = null
    } catch {
      this.#error = 'Komentar tidak dapat dimuat. Dicoba lagi saat tersambung.'
    }
  }

  /** A thread pushed by the server (or returned by an action). Newer wins, so order does not matter. */
  receive(thread: Thread) {
    const next = new Map(this.#threads)
    this.#merge(next, thread)
    this.#threads = next
  }

  create(anchor: Anchor, text: string) {
    return this.#act(api.post<Thread>(this.#base(), { anchor, text }))
  }
  reply(threadId: string, text: string) {
    return this.#act(api.post<Thread>(`${this.#base()}/${threadId}/messages`, { text }))
  }
  edit(threadId: string, messageId: string, text: string) {
    return this.#act(api.patch<Thread>(`${this.#base()}/${threadId}/messages/${messageId}`, { text }))
  }
  remove(threadId: string, messageId: string) {
    return this.#act(api.delete<Thread>(`${this.#base()}/${threadId}/messages/${messageId}`))
  }
  resolve(threadId: string) {
    return this.#act(api.post<Thread>(`${this.#base()}/${threadId}/resolve`))
  }
  reopen(threadId: string) {
    return this.#act(api.post<Thread>(`${this.#base()}/${threadId}/reopen`))
  }
  reattach(threadId: string, anchor: Anchor) {
    return this.#act(api.patch<Thread>(`${this.#base()}/${threadId}`, { anchor }))
  }

  async #act(request: Promise<Thread>): Promise<Thread> {
    const thread = await request
    this.receive(thread)
    return thread
  }

  #merge(map: Map<string, Thread>, thread: Thread) {
    const known = map.get(thread.id)
    if (!known || known.updatedAt <= thread.updatedAt) map.set(thread.id, thread)
  }

  #base() {
    return `/api/docs/${encodeURIComponent(this.docId)}/threads`
  }
}

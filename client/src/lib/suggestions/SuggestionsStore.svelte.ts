import type { Author } from '../../../../shared/accounts.js'
import type { NewSuggestion, Suggestion } from '../../../../shared/suggestions.js'
import { openCountByPasal } from '../../../../shared/comments.js'
import { api, ApiError } from '../api.js'

/** Which suggestions the panel lists: not yet settled, stale, settled, or all. */
export type SuggestionFilter = 'open' | 'stale' | 'decided' | 'all'

/** What this browser proposes for one suggestion before the server has it all. */
export type SuggestionContent = Pick<NewSuggestion, 'anchor' | 'insert'> & Partial<Pick<NewSuggestion, 'kind' | 'blocks' | 'note'>>

/** A suggestion being typed: the latest wording, sent to the server one request at a time. */
interface Draft {
  readonly key: string
  /** The server's id once created. */
  id: string | null
  /** The anchor of the create request in flight, to know its push (104) when that comes first. */
  posted: string | null
  content: SuggestionContent
  pasalLabel: string
  /** Bumped on every change, so a reply to an older request does not end the draft. */
  version: number
  sending: boolean
}

/** Results of "Terima semua". */
export interface AcceptAllResult {
  readonly accepted: number
  readonly skipped: readonly string[]
}

/** Said when an action needs the server and the connection is down. */
export const OFFLINE_ACCEPT = 'Tidak tersambung ke server; usulan belum dapat diterima.'
export const OFFLINE_SUGGEST = 'Tidak tersambung ke server; usulan belum dapat dikirim.'

const decided = new Set(['accepted', 'rejected', 'withdrawn'])

/**
 * The suggestions of one draft in this browser: loaded over HTTP, kept live by the server's pushes
 * (message 104), changed only through the API. What this person is typing in mode usulan is held
 * as drafts: shown at once (marked pending), sent in order, one request per suggestion in flight,
 * later keystrokes folded into the next request.
 */
export class SuggestionsStore {
  readonly docId: string
  readonly #me: Author
  #records = $state.raw<ReadonlyMap<string, Suggestion>>(new Map())
  #drafts = $state.raw<ReadonlyMap<string, Draft>>(new Map())
  #error = $state<string | null>(null)
  #loaded = $state(false)
  #nextKey = 0
  status = $state<SuggestionFilter>('open')
  bidang = $state<string | null>(null)
  pasalId = $state<string | null>(null)

  /** Every suggestion as this browser shows it: the server's, with this person's drafts over them. */
  readonly #shown = $derived.by((): readonly Suggestion[] => {
    const shown = new Map<string, Suggestion>(this.#records)
    for (const draft of this.#drafts.values()) shown.set(draft.id ?? draft.key, this.#asSuggestion(draft))
    return [...shown.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  })
  readonly #openCounts = $derived(openCountByPasal(this.#shown))
  readonly #pending = $derived(new Set([...this.#drafts.values()].map((d) => d.id ?? d.key)))

  constructor(docId: string, me: Author) {
    this.docId = docId
    this.#me = me
  }

  get shown(): readonly Suggestion[] {
    return this.#shown
  }
  /** Ids (or draft keys) still being sent. */
  get pending(): ReadonlySet<string> {
    return this.#pending
  }
  get openCounts(): ReadonlyMap<string, number> {
    return this.#openCounts
  }
  get openCount(): number {
    let count = 0
    for (const n of this.#openCounts.values()) count += n
    return count
  }
  get loaded(): boolean {
    return this.#loaded
  }
  /** The last failure, in Indonesian, until dismissed or the next success. */
  get error(): string | null {
    return this.#error
  }
  get me(): Author {
    return this.#me
  }

  /** Bidang that made at least one suggestion, for the filter. */
  get bidangs(): string[] {
    return [...new Set(this.#shown.map((s) => s.author.bidang))].sort()
  }

  /** Whether a suggestion passes the panel's filters. */
  passes(suggestion: Suggestion): boolean {
    if (this.pasalId !== null && suggestion.anchor.pasalId !== this.pasalId) return false
    if (this.bidang !== null && suggestion.author.bidang !== this.bidang) return false
    if (this.status === 'all') return true
    if (this.status === 'decided') return decided.has(suggestion.status)
    // "Terbuka" lists everything still to be settled, stale ones included (to reject or rewrite).
    return this.status === 'open' ? !decided.has(suggestion.status) : suggestion.status === this.status
  }

  get(id: string): Suggestion | undefined {
    return this.#shown.find((s) => s.id === id)
  }

  /** Whether `suggestion` is this person's. */
  mine(suggestion: Suggestion): boolean {
    return suggestion.author.username === this.#me.username
  }

  dismissError() {
    this.#error = null
  }

  /** Reports a failure the store did not see (a refused edit in the text). */
  fail(message: string) {
    this.#error = message
  }

  /** (Re)loads every suggestion; called on each (re)connection. */
  async load(): Promise<void> {
    try {
      const list = await api.get<Suggestion[]>(this.#base())
      const next = new Map(this.#records)
      for (const suggestion of list) this.#merge(next, suggestion)
      this.#records = next
      this.#loaded = true
    } catch {
      this.#error = 'Usulan tidak dapat dimuat. Dicoba lagi saat tersambung.'
    }
  }

  /** A suggestion pushed by the server or returned by an action. Newer wins. */
  receive(suggestion: Suggestion) {
    const next = new Map(this.#records)
    this.#merge(next, suggestion)
    this.#records = next
    // The push of a suggestion being created here can come before the answer: it is that draft's.
    if (!this.mine(suggestion)) return
    const anchor = JSON.stringify(suggestion.anchor)
    const draft = [...this.#drafts.values()].find((d) => d.id === null && d.posted === anchor)
    if (draft) this.#setDraft({ ...draft, id: suggestion.id })
  }

  /**
   * Proposes `content`: a new suggestion (`key` null) or the new wording of one of this person's
   * open suggestions (its id or draft key). Shown at once; returns the key it is shown under.
   */
  propose(key: string | null, content: SuggestionContent, pasalLabel: string): string {
    const existing = key === null ? undefined : this.#draftFor(key)
    const draft: Draft = existing
      ? { ...existing, content, version: existing.version + 1 }
      : {
          key: key ?? `lokal-${++this.#nextKey}`,
          id: key !== null && this.#records.has(key) ? key : null,
          posted: null,
          content,
          pasalLabel,
          version: 0,
          sending: false,
        }
    this.#setDraft(draft)
    void this.#send(draft.key)
    return draft.id ?? draft.key
  }

  /** Gives up one of this person's suggestions while typing (all its words backspaced away). */
  discard(key: string) {
    const draft = this.#draftFor(key)
    if (!draft) return
    this.#setDraft({ ...draft, content: { ...draft.content, insert: '' }, version: draft.version + 1 })
    void this.#send(draft.key)
  }

  reply(id: string, text: string) {
    return this.#act(api.post<Suggestion>(`${this.#base()}/${id}/replies`, { text }))
  }
  editNote(id: string, note: string) {
    return this.#act(api.patch<Suggestion>(`${this.#base()}/${id}`, { note }))
  }
  accept(id: string) {
    return this.#act(api.post<Suggestion>(`${this.#base()}/${id}/accept`))
  }
  reject(id: string) {
    return this.#act(api.post<Suggestion>(`${this.#base()}/${id}/reject`))
  }
  withdraw(id: string) {
    return this.#act(api.post<Suggestion>(`${this.#base()}/${id}/withdraw`))
  }
  /** Accepts every open suggestion of a Pasal, or of the whole draft; stale ones are skipped. */
  async acceptAll(pasalId: string | null): Promise<AcceptAllResult> {
    const result = await api.post<AcceptAllResult>(`${this.#base()}/accept-all`, pasalId ? { pasalId } : {})
    // The pushes bring each accepted one; a reload makes sure of it.
    await this.load()
    return result
  }

  /** The draft under `key`, or a new one over this person's record with that id. */
  #draftFor(key: string): Draft | undefined {
    const draft = this.#drafts.get(key) ?? [...this.#drafts.values()].find((d) => d.id === key)
    if (draft) return draft
    const record = this.#records.get(key)
    if (!record || !this.mine(record)) return undefined
    const { kind, anchor, insert, blocks, note } = record
    return {
      key,
      id: key,
      posted: null,
      content: { kind, anchor, insert, blocks, note },
      pasalLabel: record.origin.pasalLabel,
      version: 0,
      sending: false,
    }
  }

  #setDraft(draft: Draft | null, remove?: string) {
    const next = new Map(this.#drafts)
    if (remove) next.delete(remove)
    if (draft) next.set(draft.key, draft)
    this.#drafts = next
  }

  /** Sends the latest wording of a draft; loops while it changed during the request. */
  async #send(key: string): Promise<void> {
    let draft = this.#drafts.get(key)
    if (!draft || draft.sending) return
    this.#setDraft({ ...draft, sending: true })
    try {
      for (;;) {
        draft = this.#drafts.get(key)!
        const { content, version } = draft
        const empty = content.kind !== 'blocks' && content.kind !== 'deletePasal' && !content.insert && !content.anchor.range.quote
        let id = draft.id
        if (empty) {
          // Nothing left to propose: withdraw what the server has, forget the draft.
          if (id) this.receive(await api.post<Suggestion>(`${this.#base()}/${id}/withdraw`))
        } else if (id) {
          this.receive(await api.patch<Suggestion>(`${this.#base()}/${id}`, { insert: content.insert, anchor: content.anchor }))
        } else {
          this.#setDraft({ ...draft, posted: JSON.stringify(content.anchor) })
          const created = await api.post<Suggestion>(this.#base(), content)
          this.receive(created)
          id = created.id
        }
        const now = this.#drafts.get(key)!
        if (now.version === version) {
          this.#setDraft(null, key)
          this.#error = null
          return
        }
        this.#setDraft({ ...now, id: now.id ?? id })
      }
    } catch (e) {
      this.#setDraft(null, key)
      this.#error =
        e instanceof ApiError && e.status === 0
          ? OFFLINE_SUGGEST
          : `Usulan tidak terkirim: ${e instanceof Error ? e.message : 'kesalahan tidak dikenal.'}`
    }
  }

  #asSuggestion(draft: Draft): Suggestion {
    const record = draft.id ? this.#records.get(draft.id) : undefined
    const now = new Date().toISOString()
    return {
      id: draft.id ?? draft.key,
      docId: this.docId,
      kind: draft.content.kind ?? 'text',
      anchor: draft.content.anchor,
      insert: draft.content.insert,
      blocks: draft.content.blocks,
      note: draft.content.note ?? record?.note,
      status:
        draft.content.kind === 'text' || !draft.content.kind
          ? draft.content.insert || draft.content.anchor.range.quote
            ? 'open'
            : 'withdrawn'
          : 'open',
      author: this.#me,
      createdAt: record?.createdAt ?? now,
      updatedAt: now,
      origin: record?.origin ?? { pasalLabel: draft.pasalLabel },
      replies: record?.replies ?? [],
    }
  }

  async #act(request: Promise<Suggestion>): Promise<Suggestion> {
    const suggestion = await request
    this.receive(suggestion)
    this.#error = null
    return suggestion
  }

  #merge(map: Map<string, Suggestion>, suggestion: Suggestion) {
    const known = map.get(suggestion.id)
    if (!known || known.updatedAt <= suggestion.updatedAt) map.set(suggestion.id, suggestion)
  }

  #base() {
    return `/api/docs/${encodeURIComponent(this.docId)}/suggestions`
  }
}

import { tick, untrack } from 'svelte'
import type { User } from '../../../../shared/accounts.js'
import type { Thread } from '../../../../shared/comments.js'
import type { DocumentRecord } from '../../../../shared/documents.js'
import type { MetaChange } from '../documents/MetaForm.svelte.js'
import { retitled } from '../../../../shared/model/wording.js'
import type { SnapshotMeta, VersionRef } from '../../../../shared/versions.js'
import { EditorSession } from '../editor/EditorSession.svelte.js'
import { AmendmentStore } from '../amendment/AmendmentStore.svelte.js'
import { Following } from './Following.svelte.js'
import { CommentsStore } from '../comments/CommentsStore.svelte.js'
import { AgreementStore } from '../agreement/AgreementStore.svelte.js'
import { VersionsStore } from '../versions/VersionsStore.svelte.js'
import { NoticesStore } from '../notices/NoticesStore.svelte.js'
import { isDemotion } from '../notices/notices.js'
import { api, ApiError } from '../api.js'
import { router } from '../router.svelte.js'
import { notifications } from '../notifications/NotificationsStore.svelte.js'
import { SuggestionsStore, OFFLINE_ACCEPT, OFFLINE_SUGGEST, type AcceptAllResult } from '../suggestions/SuggestionsStore.svelte.js'
import { planEdit, type ProposedChange } from '../suggestions/suggestionEdit.js'
import type { Suggestion, SuggestionAnchor } from '../../../../shared/suggestions.js'
import type { BlockUnit } from '../editor/plugins/suggestions.js'

/** The panels beside the text. */
export type SidePanel = 'komentar' | 'usulan' | 'sepakat' | 'versi' | 'perubahan'

/** The Pasal holding the cursor, as the comment panel names it. */
export interface Here {
  readonly pasalId: string
  readonly label: string
}

/** The form for a proposed new ayat or Pasal, open after Enter in mode usulan. */
export interface BlockForm {
  readonly unit: BlockUnit
  readonly anchor: SuggestionAnchor
  /** Where the unit would go, for the form's title: "sesudah Pasal 7". */
  readonly place: string
  readonly pasalLabel: string
}

/** The signed-in account a workspace works for: the app's `session`, narrowed to what a draft needs. */
export interface WorkspaceAccount {
  readonly user: User | null
  readonly token: string | null
  /** Calls `listener` with every new token; returns the unsubscribe. */
  onToken(listener: (token: string | null) => void): () => void
  /** Re-reads the account (its role changed on the server). */
  reload(): Promise<void>
  /** Ends the session in this browser (the server refused the token). */
  expire(): void
}

/**
 * One open draft in this browser: its editor session and the records beside the text (comments,
 * agreement, versions), with the server's pushes routed to them, and the intents components call
 * (`startComment()`, `openVersion()`, …) instead of reaching into each other. The page creates it
 * once per open draft and destroys it when the draft closes; elements that intents move the focus
 * to register through the `attach…` attachments, as the EditorView does through `session.link`.
 */
export class DocumentWorkspace {
  #record = $state.raw<DocumentRecord>() as DocumentRecord
  readonly session: EditorSession
  readonly comments: CommentsStore
  readonly agreement: AgreementStore
  readonly versions: VersionsStore
  readonly suggestions: SuggestionsStore
  /** Pasal I and II beside the text of an amendment draft; null for any other draft. */
  readonly amendment: AmendmentStore | null
  readonly following: Following
  /** What everyone should notice: agreed Pasal whose text changed, restored versions. */
  readonly notices: NoticesStore

  #panel = $state<SidePanel>('komentar')
  #drawerOpen = $state(false)
  #meeting = $state(false)
  #roleNotice = $state<string | null>(null)
  #activeThread = $state<string | null>(null)
  #activeSuggestion = $state<string | null>(null)
  #blockForm = $state.raw<Pick<BlockForm, 'unit' | 'anchor'> | null>(null)
  readonly #here = $derived.by((): Here | null => {
    const id = this.session.currentPasal
    const entry = id ? this.session.outline.find((o) => o.kind === 'pasal' && o.id === id) : undefined
    return id && entry ? { pasalId: id, label: entry.label } : null
  })

  #commentBox: HTMLTextAreaElement | null = null
  #toolbar: HTMLElement | null = null
  readonly #cleanup: Array<() => void> = []

  /**
   * Loads the draft `docId` and opens it for `account`; null when the account signed out meanwhile.
   * Rejects with the API's error (404: no such draft).
   */
  static async open(docId: string, account: WorkspaceAccount): Promise<DocumentWorkspace | null> {
    const record = await api.get<DocumentRecord>(`/api/docs/${encodeURIComponent(docId)}`)
    return account.user && account.token ? new DocumentWorkspace(record, account) : null
  }

  /** Opens the draft `record` for `account`, which must be signed in. */
  constructor(record: DocumentRecord, account: WorkspaceAccount) {
    const { user, token } = account
    if (!user || !token) throw new Error('DocumentWorkspace: the account is not signed in')
    this.#record = record
    this.comments = new CommentsStore(record.id)
    this.agreement = new AgreementStore(record.id)
    this.versions = new VersionsStore(record.id)
    this.notices = new NoticesStore({
      labelOf: (pasalId) => this.labelOf(pasalId),
      statuses: () => this.agreement.statuses,
      brokenReferences: () => this.session.brokenReferenceCount,
    })
    this.suggestions = new SuggestionsStore(record.id, { id: user.id, username: user.username, name: user.name, bidang: user.bidang })
    this.session = new EditorSession({
      docId: record.id,
      epoch: record.epoch,
      user,
      token,
      meta: record.meta,
      onSynced: () => this.#reload(),
      onDraftMeta: (meta) => (this.#record = { ...this.#record, title: retitled(this.#record.title, meta), meta }),
      onThread: (thread) => {
        this.comments.receive(thread)
        notifications.refreshSoon()
      },
      onStatus: (record) => {
        if (this.agreement.receive(record) && isDemotion(record)) this.notices.add({ kind: 'demoted', pasalId: record.pasalId, record })
      },
      onRestored: (restore) => {
        this.notices.add({ kind: 'restored', restore })
        // The list now holds the automatic version taken before the restore.
        if (this.#panel === 'versi') void this.versions.load().catch(() => undefined)
      },
      onCommentBadge: (pasalId) => void this.startComment(pasalId),
      onStatusChip: (pasalId) => this.showStatus(pasalId),
      onSuggestion: (suggestion) => this.suggestions.receive(suggestion),
      onProposal: (change) => this.#propose(change),
      onBlockProposal: (unit) => this.startBlockSuggestion(unit),
      onOpenSuggestion: (id) => this.focusSuggestion(id),
      onReferencesBroken: () => this.notices.add({ kind: 'broken-references' }),
      onAccountChanged: () => void account.reload().then(() => account.user && this.session.setUser(account.user)),
    })
    const amendment = record.meta.amends
    this.amendment = amendment
      ? new AmendmentStore(record.id, this.session, () => ({ ...this.#record.meta, amends: this.#record.meta.amends ?? amendment }))
      : null
    // The amendment is what its drafters watch while they edit.
    if (this.amendment) this.#panel = 'perubahan'
    this.following = new Following(this.session)
    this.#cleanup.push(() => this.following.destroy())
    this.#cleanup.push(account.onToken((next) => next && this.session.setToken(next)))
    this.#cleanup.push(
      $effect.root(() => {
        // The editor draws badges, highlights and margin chips from the records. Untracked: a
        // dispatch updates the session's own runes.
        $effect(() => {
          const threads = this.comments.threads
          untrack(() => this.session.showThreads(threads))
        })
        $effect(() => {
          const statuses = this.agreement.statuses
          untrack(() => this.session.showStatuses(statuses))
        })
        $effect(() => {
          const shown = this.suggestions.shown
          const pending = this.suggestions.pending
          untrack(() => this.session.showSuggestions(shown, pending))
        })
        // A thread named in the address (?utas=, from the bell) opens once it is loaded and placed.
        $effect(() => {
          const wanted = router.param('utas')
          const thread = wanted === null ? undefined : this.comments.threads.get(wanted)
          if (!thread || !this.session.anchors.has(thread.id)) return
          untrack(() => {
            this.revealThread(thread)
            router.navigate(router.path, { replace: true })
          })
        })
        // A refused token on the socket means the session ended: back to the login page.
        $effect(() => {
          if (this.session.failure === 'unauthorized') untrack(() => account.expire())
        })
      }),
    )
  }

  /** The draft: its title and metadata follow every change, here or pushed by the server. */
  get record(): DocumentRecord {
    return this.#record
  }

  /**
   * Changes the draft's metadata ("Data naskah"; editors and admins). Every open editor, this one
   * included, redraws the judul, jabatan and penutup. Rejects with the API's error (400 names the field).
   */
  async updateMeta(change: MetaChange): Promise<void> {
    const updated = await api.patch<DocumentRecord>(`/api/docs/${encodeURIComponent(this.#record.id)}`, { meta: change })
    this.#record = updated
    this.session.showMeta(updated.meta)
  }

  /** The number a Pasal has now ("Pasal 8"), undefined when it is not in the draft: every label shown is looked up here (S22). */
  labelOf(pasalId: string): string | undefined {
    return this.session.outline.find((o) => o.kind === 'pasal' && o.id === pasalId)?.label
  }

  /** Which panel the right-hand side shows. */
  get panel(): SidePanel {
    return this.#panel
  }

  /** The Pasal holding the cursor; null outside any Pasal. */
  get here(): Here | null {
    return this.#here
  }

  /** The thread open in the comment panel, its phrase highlighted more strongly. */
  get activeThread(): string | null {
    return this.#activeThread
  }

  /** The suggestion open in the panel. */
  get activeSuggestion(): string | null {
    return this.#activeSuggestion
  }

  /** The new-unit form of mode usulan, when open. */
  get blockForm(): BlockForm | null {
    const form = this.#blockForm
    if (!form) return null
    // Worded with the numbering now: a Pasal inserted meanwhile renumbers the form's title too (S22).
    const pasalLabel = this.labelOf(form.anchor.pasalId) ?? 'Pasal'
    const place = form.unit === 'pasal' ? `sesudah ${pasalLabel}` : `di ${pasalLabel}, sesudah ayat ini`
    return { ...form, pasalLabel, place }
  }

  /** Shows `panel`; on a narrow screen, where the panels are a drawer, opens the drawer too. */
  showPanel(panel: SidePanel) {
    this.#panel = panel
    this.#drawerOpen = true
  }

  /** Whether the panels' drawer is open (on narrow screens; wide screens always show the panels). */
  get drawerOpen(): boolean {
    return this.#drawerOpen
  }

  toggleDrawer() {
    this.#drawerOpen = !this.#drawerOpen
  }

  closeDrawer() {
    this.#drawerOpen = false
  }

  /** Mode rapat: large type, the outline and agreement progress beside the text, following the presenter. */
  get meeting(): boolean {
    return this.#meeting
  }

  toggleMeeting() {
    this.#meeting = !this.#meeting
  }

  /** Why typing changes nothing, after someone who may not change the text typed in it. */
  get roleNotice(): string | null {
    return this.#roleNotice
  }

  /** Explains, once someone who may only read typed in the text, why nothing happens and what they can do. */
  refuseTyping() {
    this.#roleNotice =
      this.session.save === 'refused'
        ? 'Server menolak perubahan terakhir, jadi naskah dikunci. Muat ulang halaman untuk melanjutkan dari naskah di server.'
        : 'Peran Anda (Pembaca) hanya dapat membaca naskah ini, jadi ketikan tidak mengubah apa pun. Untuk berkomentar atau mengusulkan perubahan, minta admin memberi Anda peran Pemberi komentar.'
  }

  dismissRoleNotice() {
    this.#roleNotice = null
  }

  /** Goes to a unit of the live text (outline, lists) and focuses it, leaving any version being viewed and ending following. */
  jumpTo(pos: number) {
    this.following.stop()
    this.versions.close()
    this.session.jumpTo(pos)
  }

  /** Puts the cursor in a Pasal; `focus` also moves the keyboard focus to the text. */
  focusPasal(pasalId: string, focus = true) {
    const entry = this.session.outline.find((o) => o.id === pasalId)
    if (entry) this.session.jumpTo(entry.pos, focus)
  }

  /**
   * Shows the comment panel with the form for a new comment on `pasalId` (default: the Pasal with
   * the cursor) and moves the focus to it (badge click, Ctrl+Alt+Shift+M).
   */
  async startComment(pasalId?: string) {
    if (pasalId) this.focusPasal(pasalId, false)
    this.showPanel('komentar')
    // The panel is shown, and the form names the new Pasal, once the DOM is updated.
    await tick()
    this.#commentBox?.focus()
  }

  /** Opens a thread on the Pasal (or the selected phrase) at the cursor; null when the cursor is in no Pasal. */
  async createComment(text: string): Promise<Thread | null> {
    const anchor = this.session.anchorHere()
    if (!anchor) return null
    const thread = await this.comments.create(anchor, text)
    this.focusThread(thread)
    return thread
  }

  /** Opens a thread in the panel: its phrase highlighted, the cursor on its Pasal. */
  focusThread(thread: Thread) {
    this.#activeThread = thread.id
    this.session.activateThread(thread.id)
    const anchor = this.session.anchors.get(thread.id)
    if (anchor?.status === 'attached') this.session.jumpTo(anchor.pasalPos, false)
  }

  /** Shows a thread in the comment panel, whatever the filters hid, and focuses it. */
  revealThread(thread: Thread) {
    this.#panel = 'komentar'
    if (!this.comments.shown(thread)) {
      this.comments.status = 'all'
      this.comments.bidang = null
    }
    this.focusThread(thread)
  }

  /** Shows a Pasal's agreement status and history (margin chip). */
  showStatus(pasalId: string) {
    this.focusPasal(pasalId, false)
    this.showPanel('sepakat')
  }

  /** Shows a stored version, read-only, in place of the live text. */
  openVersion(meta: SnapshotMeta): Promise<void> {
    return this.versions.view(meta)
  }

  /** Shows the differences from `from` to `to` (null: the live text) in place of the live text. */
  compareVersions(from: VersionRef, to: VersionRef | null): Promise<void> {
    return this.versions.compare(from, to)
  }

  /** "Lihat perubahan" on a restore notice: what the restore changed, i.e. the version it replaced against the draft now. */
  showRestore(noticeId: number, before: VersionRef): Promise<void> {
    this.notices.dismiss(noticeId)
    return this.versions.compare(before, null)
  }

  /** Switches mode usulan (editors; Ctrl+Alt+S). Commenters always suggest. */
  toggleSuggesting() {
    if (!this.session.suggestingLocked) this.session.setSuggesting(!this.session.suggesting)
  }

  /** Shows a suggestion's card in the panel and puts the cursor on its Pasal. */
  focusSuggestion(id: string) {
    this.#activeSuggestion = id
    this.showPanel('usulan')
    const placement = this.session.placements.get(id)
    if (placement) this.session.jumpTo(placement.pasalPos, false)
  }

  /** Accepts a suggestion; refused at once while the connection is down, never queued. */
  accept(id: string): Promise<Suggestion> {
    return this.#online(() => this.suggestions.accept(id))
  }

  /** "Terima semua di Pasal N" (`pasalId`) or for the whole draft (null); stale ones are skipped. */
  acceptAll(pasalId: string | null): Promise<AcceptAllResult> {
    return this.#online(() => this.suggestions.acceptAll(pasalId))
  }

  /** Opens the form for a new ayat (after the one with the cursor) or Pasal (after this one). */
  startBlockSuggestion(unit: BlockUnit) {
    const state = this.session.state
    if (!state || !this.#here) return
    const anchor = this.session.anchorFor(state.selection.to, state.selection.to)
    if (!anchor) return this.suggestions.fail('Letakkan kursor pada teks sebuah ayat untuk mengusulkan unit baru.')
    this.#blockForm = { unit, anchor }
  }

  closeBlockForm() {
    this.#blockForm = null
  }

  /** Proposes the units of the open form: one ayat per paragraph of `text`. */
  submitBlockSuggestion(text: string, note: string) {
    const form = this.blockForm
    if (!form) return
    const ayat = text
      .split(/\n+/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => ({ type: 'ayat', content: [{ type: 'teks', content: [{ type: 'text', text: line }] }] }))
    if (ayat.length === 0) return
    // Units are proposed without ids: the server gives fresh ones on accept.
    const blocks = form.unit === 'pasal' ? [{ type: 'pasal', content: ayat }] : ayat
    this.#blockForm = null
    if (this.session.connection !== 'connected') return this.suggestions.fail(OFFLINE_SUGGEST)
    this.suggestions.propose(
      null,
      { kind: 'blocks', anchor: form.anchor, insert: '', blocks, ...(note.trim() ? { note: note.trim() } : {}) },
      form.pasalLabel,
    )
  }

  /** Back to the live text. */
  closeVersion() {
    this.versions.close()
  }

  /** Escape from the text: the focus moves to the first usable toolbar button. */
  leaveText() {
    this.#toolbar?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus()
  }

  /** Attachment for the new-comment text box, which `startComment` focuses. */
  attachCommentBox = (element: HTMLTextAreaElement) => {
    this.#commentBox = element
    return () => {
      if (this.#commentBox === element) this.#commentBox = null
    }
  }

  /** Attachment for the toolbar, which `leaveText` focuses. */
  attachToolbar = (element: HTMLElement) => {
    this.#toolbar = element
    return () => {
      if (this.#toolbar === element) this.#toolbar = null
    }
  }

  destroy() {
    for (const cleanup of this.#cleanup) cleanup()
    this.session.destroy()
  }

  /** Turns a change held back in mode usulan into a new suggestion, or into more of one of one's own. */
  #propose(change: ProposedChange) {
    const state = this.session.state
    if (!state) return
    if (change.kind === 'unsupported')
      return this.suggestions.fail('Dalam mode usulan, ubah teks di dalam satu pasal; tekan Enter untuk mengusulkan ayat atau pasal baru.')
    if (this.session.connection !== 'connected') return this.suggestions.fail(OFFLINE_SUGGEST)
    const label = (pos: number) => this.session.outline.find((o) => o.kind === 'pasal' && o.pos === pos)?.label ?? 'Pasal'
    if (change.kind === 'deletePasal') {
      let first = change.pos
      state.doc.nodeAt(change.pos)?.descendants((node, offset) => {
        if (first === change.pos && node.isTextblock) first = change.pos + 1 + offset + 1
        return first === change.pos
      })
      const anchor = this.session.anchorFor(first, first)
      if (anchor) this.suggestions.propose(null, { kind: 'deletePasal', anchor, insert: '' }, label(change.pos))
      return
    }
    const own = this.suggestions.shown.flatMap((s) => {
      const placement = this.session.placements.get(s.id)
      return s.kind === 'text' && s.status === 'open' && this.suggestions.mine(s) && placement
        ? [{ key: s.id, from: placement.from, to: placement.to, insert: s.insert }]
        : []
    })
    const plan = planEdit(change, own)
    const anchor = this.session.anchorFor(plan.from, plan.to)
    if (!anchor) return this.suggestions.fail('Bagian teks ini tidak dapat diberi usulan (terlalu panjang atau bukan teks pasal).')
    const pasalPos = this.session.outline.find((o) => o.kind === 'pasal' && o.id === anchor.pasalId)?.pos ?? -1
    if (plan.kind === 'extend' && !plan.insert && plan.from === plan.to) this.suggestions.discard(plan.key)
    else this.suggestions.propose(plan.kind === 'extend' ? plan.key : null, { kind: 'text', anchor, insert: plan.insert }, label(pasalPos))
    // Drawn now, not on the next effect: the next keystroke must find this suggestion to extend it.
    this.session.showSuggestions(this.suggestions.shown, this.suggestions.pending)
    this.session.placeCaret(plan.caret)
  }

  /** Runs an action that needs the server now, refusing it with a message while the connection is down. */
  async #online<T>(action: () => Promise<T>): Promise<T> {
    if (this.session.connection !== 'connected') throw new Error(OFFLINE_ACCEPT)
    try {
      return await action()
    } catch (e) {
      throw e instanceof ApiError && e.status === 0 ? new Error(OFFLINE_ACCEPT) : e
    }
  }

  /** On every (re)connection: records changed while the connection was away are fetched again. */
  #reload() {
    void this.comments.load()
    void this.suggestions.load()
    void this.agreement.load().catch(() => undefined)
  }
}

import { tick, untrack } from 'svelte'
import type { User } from '../../../../shared/accounts.js'
import type { Thread } from '../../../../shared/comments.js'
import type { DocumentRecord } from '../../../../shared/documents.js'
import type { MetaChange } from '../documents/MetaForm.svelte.js'
import { retitled } from '../../../../shared/model/wording.js'
import type { SnapshotMeta } from '../../../../shared/versions.js'
import { EditorSession } from '../editor/EditorSession.svelte.js'
import { CommentsStore } from '../comments/CommentsStore.svelte.js'
import { AgreementStore } from '../agreement/AgreementStore.svelte.js'
import { VersionsStore } from '../versions/VersionsStore.svelte.js'
import { api } from '../api.js'

/** The panels beside the text. */
export type SidePanel = 'komentar' | 'sepakat' | 'versi'

/** The Pasal holding the cursor, as the comment panel names it. */
export interface Here {
  readonly pasalId: string
  readonly label: string
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
  // A suggestions store joins these: created here, fed by a session `onSuggestion` hook, reloaded in #reload.

  #panel = $state<SidePanel>('komentar')
  #activeThread = $state<string | null>(null)
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
    this.session = new EditorSession({
      docId: record.id,
      epoch: record.epoch,
      user,
      token,
      meta: record.meta,
      onSynced: () => this.#reload(),
      onDraftMeta: (meta) => (this.#record = { ...this.#record, title: retitled(this.#record.title, meta), meta }),
      onThread: (thread) => this.comments.receive(thread),
      onStatus: (status) => this.agreement.receive(status, (pasalId) => this.session.outline.find((o) => o.id === pasalId)?.label),
      onCommentBadge: (pasalId) => void this.startComment(pasalId),
      onStatusChip: (pasalId) => this.showStatus(pasalId),
      onAccountChanged: () => void account.reload().then(() => account.user && this.session.setUser(account.user)),
    })
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

  showPanel(panel: SidePanel) {
    this.#panel = panel
  }

  /** Goes to a unit of the live text (outline, lists) and focuses it, leaving any version being viewed. */
  jumpTo(pos: number) {
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
   * the cursor) and moves the focus to it (badge click, Ctrl+Alt+M).
   */
  async startComment(pasalId?: string) {
    if (pasalId) this.focusPasal(pasalId, false)
    this.#panel = 'komentar'
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

  /** Shows a Pasal's agreement status and history (margin chip). */
  showStatus(pasalId: string) {
    this.focusPasal(pasalId, false)
    this.#panel = 'sepakat'
  }

  /** Shows a stored version, read-only, in place of the live text. */
  openVersion(meta: SnapshotMeta): Promise<void> {
    return this.versions.view(meta)
  }

  /** Shows the differences from `from` to `to` (null: the live text) in place of the live text. */
  compareVersions(from: SnapshotMeta, to: SnapshotMeta | null): Promise<void> {
    return this.versions.compare(from, to)
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

  /** On every (re)connection: records changed while the connection was away are fetched again. */
  #reload() {
    void this.comments.load()
    void this.agreement.load().catch(() => undefined)
  }
}

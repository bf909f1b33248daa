import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { IndexeddbPersistence } from 'y-indexeddb'
import { EditorState, NodeSelection, TextSelection, type Command, type Transaction } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import {
  initProseMirrorDoc,
  relativePositionToAbsolutePosition,
  yCursorPlugin,
  ySyncPlugin,
  yUndoPlugin,
  undoCommand,
  redoCommand,
} from 'y-prosemirror'
import { schema } from '../../../../shared/model/schema.js'
import { FRAGMENT } from '../../../../shared/model/ydoc.js'
import type { Node } from 'prosemirror-model'
import type { Numbering, OutlineEntry } from '../../../../shared/model/numbering.js'
import {
  encodeStored,
  messageAuth,
  messageDraftMeta,
  messageRestored,
  messageStatus,
  messageStorageStatus,
  messageStored,
  messageSuggestion,
  messageThread,
  PermissionDenied,
  readDraftMeta,
  readPermissionDenied,
  readRestored,
  readSuggestion,
  readStatus,
  readStorageStatus,
  readStored,
  readThread,
} from '../../../../shared/protocol/messages.js'
import { CloseCode } from '../../../../shared/protocol/closeCodes.js'
import { PROTOCOL_VERSION, VERSION_PARAM } from '../../../../shared/protocol/version.js'
import { failureOf, type Failure } from './connectionFailure.js'
import { decodeCursor, decodeViewing, presenceOf, type PresenceCursor, type PresenceUser, type PresenceViewing } from '../../../../shared/presence.js'
import { canComment, canEdit, type User } from '../../../../shared/accounts.js'
import { numberingPlugin, setNumberingBase } from './plugins/numbering.js'
import { referencesPlugin } from './plugins/references.js'
import { numberingKey } from './plugins/keys.js'
import { unitIdsPlugin } from './plugins/unitIds.js'
import { structurePlugin } from './plugins/structure.js'
import { brokenReferences, brokenReferencesPlugin } from './plugins/brokenReferences.js'
import { pastePlugin } from './plugins/paste.js'
import { agreedEditsPlugin } from './plugins/agreedEdits.js'
import { findPlugin } from './plugins/find.js'
import { placeholderPlugin } from './plugins/placeholder.js'
import { textHygienePlugin } from './plugins/textHygiene.js'
import { editorKeymap } from './keymap.js'
import { tableEditing } from 'prosemirror-tables'
import { buildCursor, buildSelection, remoteCursorFilter } from './cursors.js'
import { ancestor, cursorInside } from './commands.js'
import { commentsPlugin, setActiveThread, setThreads } from './plugins/comments.js'
import { commentsKey } from './plugins/keys.js'
import type { AnchorState } from '../../../../shared/anchors.js'
import { anchorAtSelection } from './commentAnchor.js'
import type { Anchor, Thread } from '../../../../shared/comments.js'
import type { StatusRecord } from '../../../../shared/agreement.js'
import { agreementPlugin, setStatuses } from './plugins/agreement.js'
import { agreementKey, wordingKey } from './plugins/keys.js'
import { setDraftMeta, wordingPlugin } from './plugins/wording.js'
import type { DraftMeta } from '../../../../shared/documents.js'
import type { RestoreNotice } from '../../../../shared/versions.js'
import { isRemote, setSuggesting, setSuggestions, suggestionsPlugin, type BlockUnit } from './plugins/suggestions.js'
import { suggestionsKey } from './plugins/keys.js'
import type { Suggestion, SuggestionAnchor } from '../../../../shared/suggestions.js'
import { anchorForRange, type Placement } from './suggestionAnchor.js'
import { changeOf, type ProposedChange } from '../suggestions/suggestionEdit.js'

/** What the connection indicator shows. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline'
/** Whether this browser's edits have reached the server's storage ('refused': the server refused one). */
export type SaveState = 'saved' | 'saving' | 'pending-offline' | 'server-failing' | 'refused'
export type { Failure }

export interface Peer {
  readonly clientId: number
  readonly user: PresenceUser
  readonly self: boolean
  /** Their caret or selection; null while their editor has no focus. */
  readonly cursor: PresenceCursor | null
  /** The unit at the top of their text, for those who follow them. */
  readonly viewing: PresenceViewing | null
}

export interface EditorSessionOptions {
  readonly docId: string
  /** The document's creation epoch: offline copies of an older document with this id never merge in. */
  readonly epoch: string
  readonly user: User
  readonly token: string
  /** The draft's metadata, from which the editor draws the judul lines, jabatan and penutup. */
  readonly meta: DraftMeta
  /** The server closed the connection because the account changed: re-read it, then `setUser`. */
  readonly onAccountChanged?: () => void
  /** The connection (re)synced: records beside the text may have changed while it was away. */
  readonly onSynced?: () => void
  /** The server pushed a comment thread (message 102). */
  readonly onThread?: (thread: Thread) => void
  /** The server pushed a Pasal's agreement status (message 103). */
  readonly onStatus?: (record: StatusRecord) => void
  /** The server pushed the draft's changed metadata (message 105); the editor already draws it. */
  readonly onDraftMeta?: (meta: DraftMeta) => void
  /** The server told of a restored version (message 106), after relaying the restored text. */
  readonly onRestored?: (notice: RestoreNotice) => void
  /** A Pasal's comment badge in the text was clicked. */
  readonly onCommentBadge?: (pasalId: string) => void
  /** A Pasal's status chip in the margin was clicked. */
  readonly onStatusChip?: (pasalId: string) => void
  /** The server pushed a suggestion (message 104). */
  readonly onSuggestion?: (suggestion: Suggestion) => void
  /** In mode usulan, a local edit that was held back from the document, to become a suggestion. */
  readonly onProposal?: (change: ProposedChange) => void
  /** In mode usulan, Enter or a new-unit shortcut asks for a new ayat or Pasal. */
  readonly onBlockProposal?: (unit: BlockUnit) => void
  /** A suggestion in the text was clicked. */
  readonly onOpenSuggestion?: (id: string) => void
  /** This person's own edit left `count` more live references pointing nowhere (they deleted what those named). */
  readonly onReferencesBroken?: (count: number) => void
}

/** Wait this long after the last keystroke before asking the server to confirm storage. */
const STORED_DEBOUNCE_MS = 300
/** How long a remote cursor's name label shows after that cursor moved (CSS fades it out over the same time). */
const CURSOR_LABEL_MS = 3000

/**
 * One open draft in this browser: the Yjs document, its offline copy (IndexedDB), the connection
 * (stock y-websocket provider), and the ProseMirror state bound to them. Components read its
 * runes; the EditorView attaches with `link(view)`.
 */
export class EditorSession {
  readonly docId: string
  readonly ydoc = new Y.Doc()
  readonly provider: WebsocketProvider
  readonly #local: IndexeddbPersistence
  #view: EditorView | null = null

  #state = $state.raw<EditorState | null>(null)
  #connection = $state<ConnectionState>('connecting')
  #online = $state(navigator.onLine)
  #save = $state<SaveState>('saved')
  #failure = $state<Failure | null>(null)
  #readOnly = $state(false)
  #maySuggest = $state(false)
  #suggestingChosen = $state(false)
  #peers = $state.raw<Peer[]>([])
  #outline = $state.raw<readonly OutlineEntry[]>([])
  #currentPasal = $state<string | null>(null)
  #anchors = $state.raw<ReadonlyMap<string, AnchorState>>(new Map())
  #canUndo = $state(false)
  #canRedo = $state(false)
  /** The latest records beside the text, handed to every view that links. */
  #threads: ReadonlyMap<string, Thread> = new Map()
  #statuses: ReadonlyMap<string, StatusRecord> = new Map()
  #suggestions: readonly Suggestion[] = []
  #pendingSuggestions: ReadonlySet<string> = new Set()
  #placements = $state.raw<ReadonlyMap<string, Placement>>(new Map())
  #meta: DraftMeta
  /** The base of an amendment draft, once loaded; null for any other draft. */
  #base: Node | null = null
  /** When each remote cursor last moved, and where it was then (JSON): labels show only after a move. */
  readonly #cursorMoves = new Map<number, { at: number; cursor: string }>()
  /** Agreed Pasal this person chose to change in this session, and the edit waiting for that choice. */
  readonly #confirmedAgreed = new Set<string>()
  #agreedEdit = $state.raw<{ readonly pasalIds: readonly string[]; readonly edit: Transaction } | null>(null)

  #storedRequest = 0
  /** Local edits so far, and how many of them the last "stored?" request covers. */
  #edits = 0
  #editsAtRequest = 0
  #storedTimer: ReturnType<typeof setTimeout> | null = null
  #serverFailing = false
  readonly #cleanup: Array<() => void> = []
  readonly #onAccountChanged: (() => void) | undefined
  readonly #options: EditorSessionOptions

  constructor(options: EditorSessionOptions) {
    this.docId = options.docId
    this.#onAccountChanged = options.onAccountChanged
    this.#options = options
    this.#meta = options.meta
    this.#readOnly = !canEdit(options.user.role)
    this.#maySuggest = canComment(options.user.role)
    this.#local = new IndexeddbPersistence(`rancang:${options.docId}:${options.epoch}`, this.ydoc)
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`
    this.provider = new WebsocketProvider(url, options.docId, this.ydoc, {
      params: { token: options.token, [VERSION_PARAM]: String(PROTOCOL_VERSION) },
      connect: false,
    })
    this.provider.awareness.setLocalStateField('user', presenceOf(options.user))
    this.#extendProtocol()
    this.#watchConnection()
    this.#watchPeers()
    this.#watchLocalEdits()
    const fragment = this.ydoc.getXmlFragment(FRAGMENT)
    // Build the editor only once there is content: an editor on an empty fragment would write
    // an empty skeleton that then merges with the real draft.
    const start = () => {
      if (this.#state === null && fragment.length > 0) this.#state = this.#createState(fragment)
    }
    fragment.observe(start)
    this.#cleanup.push(() => fragment.unobserve(start))
    void this.#local.whenSynced.then(start)
    this.provider.connect()
  }

  get state(): EditorState | null {
    return this.#state
  }
  get connection(): ConnectionState {
    return this.#online ? this.#connection : 'offline'
  }
  get save(): SaveState {
    return this.#save
  }
  get failure(): Failure | null {
    return this.#failure
  }
  get readOnly(): boolean {
    return this.#readOnly
  }
  /**
   * Mode usulan: local edits become suggestions instead of changing the document. Always on for
   * those who may suggest but not edit (commenters); editors switch it.
   */
  get suggesting(): boolean {
    return this.#maySuggest && (this.#readOnly || this.#suggestingChosen)
  }
  /** Whether mode usulan is forced on (the person may not edit directly). */
  get suggestingLocked(): boolean {
    return this.#maySuggest && this.#readOnly
  }
  /** Whether the text takes input: to edit it, or to suggest in it. */
  get editable(): boolean {
    return !this.#readOnly || this.suggesting
  }
  /** Where each open suggestion sits in the text now. */
  get placements(): ReadonlyMap<string, Placement> {
    return this.#placements
  }
  get peers(): Peer[] {
    return this.#peers
  }
  get outline(): readonly OutlineEntry[] {
    return this.#outline
  }
  /** Id of the Pasal holding the cursor. */
  get currentPasal(): string | null {
    return this.#currentPasal
  }
  /** How many live references point nowhere now (marked "rujukan tidak ditemukan"). */
  get brokenReferenceCount(): number {
    return this.#state ? brokenReferences(this.#state).length : 0
  }
  /** Where each comment thread hangs now. */
  get anchors(): ReadonlyMap<string, AnchorState> {
    return this.#anchors
  }
  /** The agreed Pasal (ids) an edit waits on: the page asks whether to change them. */
  get agreedEdit(): readonly string[] | null {
    return this.#agreedEdit?.pasalIds ?? null
  }

  /** Changes the agreed Pasal after all: the held edit goes through when the text is still as it was. */
  confirmAgreedEdit() {
    const waiting = this.#agreedEdit
    this.#agreedEdit = null
    if (!waiting) return
    for (const id of waiting.pasalIds) this.#confirmedAgreed.add(id)
    const view = this.#view
    if (view && waiting.edit.before.eq(view.state.doc)) view.dispatch(waiting.edit)
    view?.focus()
  }

  /** Leaves the agreed Pasal as they are. */
  cancelAgreedEdit() {
    this.#agreedEdit = null
    this.#view?.focus()
  }

  get canUndo(): boolean {
    return this.#canUndo
  }
  get canRedo(): boolean {
    return this.#canRedo
  }

  /** Attaches the view that renders `state`; the session then follows every transaction. */
  link(view: EditorView) {
    this.#view = view
    this.#observe(view.state)
    this.#showBeside()
  }

  unlink(view: EditorView) {
    if (this.#view === view) this.#view = null
  }

  /** Makes the view re-read its props (after the rights changed). */
  refreshView() {
    this.#view?.setProps({})
  }

  /**
   * Called by the view before applying a transaction: in mode usulan a local change to the text is
   * handed on as a proposal and never applied (returns true), so it never reaches the document.
   */
  intercept(tr: Transaction): boolean {
    const view = this.#view
    if (!view || !this.suggesting || !tr.docChanged || isRemote(tr)) return false
    const change = changeOf(tr, view.state.selection)
    if (change) this.#options.onProposal?.(change)
    return true
  }

  /** Switches mode usulan (editors; for commenters it stays on). */
  setSuggesting(on: boolean) {
    this.#suggestingChosen = on
    this.#showBeside()
  }

  /** Hands the editor the suggestions to draw, and those still being sent. */
  showSuggestions(suggestions: readonly Suggestion[], pending: ReadonlySet<string>) {
    this.#suggestions = suggestions
    this.#pendingSuggestions = pending
    this.#showBeside()
  }

  /** The anchor of a suggestion on `from`..`to` in the live text; null when it cannot be held. */
  anchorFor(from: number, to: number): SuggestionAnchor | null {
    return this.#state ? anchorForRange(this.#state.doc, this.ydoc.getXmlFragment(FRAGMENT), from, to) : null
  }

  /** Puts the caret at `pos` of the live text (after a proposal, where typing goes on). */
  placeCaret(pos: number) {
    const view = this.#view
    if (view) view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, pos)))
  }

  /** Called by the view for every new state. */
  update(state: EditorState) {
    this.#state = state
    this.#observe(state)
  }

  /** Runs an editing command on the linked view and gives the focus back to the text. */
  run(command: Command): boolean {
    const view = this.#view
    if (!view || !this.editable) return false
    const done = command(view.state, view.dispatch, view)
    view.focus()
    return done
  }

  /**
   * Runs a command from a panel beside the text (the find bar), leaving the focus there. `edits`:
   * it changes the text, so only for those who may edit directly (not in mode usulan).
   */
  runBeside(command: Command, edits: boolean): boolean {
    const view = this.#view
    if (!view || (edits && !this.mayEditDirectly)) return false
    return command(view.state, view.dispatch, view)
  }

  /** Whether this person changes the text itself (not read-only, not in mode usulan). */
  get mayEditDirectly(): boolean {
    return !this.#readOnly && !this.suggesting
  }

  /** Gives the keyboard focus back to the text. */
  focus() {
    this.#view?.focus()
  }

  /** Whether `command` applies where the cursor is (for enabling buttons). */
  can(command: Command): boolean {
    return this.editable && this.#state !== null && command(this.#state)
  }

  undo = () => this.run(undoCommand)
  redo = () => this.run(redoCommand)

  /** Scrolls to a unit (outline click) and puts the cursor in it; `focus` moves the keyboard focus there too. */
  jumpTo(pos: number, focus = true) {
    const view = this.#view
    if (!view) return
    cursorInside(pos)(view.state, view.dispatch)
    if (focus) view.focus()
    const dom = view.nodeDOM(pos)
    if (dom instanceof HTMLElement) dom.scrollIntoView({ block: 'start', behavior: 'smooth' })
  }

  /**
   * Selects the next live reference after the cursor that points nowhere (from the start again
   * after the last), scrolls to it and focuses the text; false when there is none.
   */
  selectNextBrokenReference(): boolean {
    const view = this.#view
    if (!view) return false
    const positions = brokenReferences(view.state)
    const pos = positions.find((p) => p > view.state.selection.from) ?? positions[0]
    if (pos === undefined) return false
    view.dispatch(view.state.tr.setSelection(NodeSelection.create(view.state.doc, pos)).scrollIntoView())
    view.focus()
    return true
  }

  /**
   * Scrolls the text to `clientId`'s cursor (Sedang membuka), else to the unit they are viewing,
   * without moving this person's own cursor or selection. False when neither is in the text.
   */
  revealPeer(clientId: number): boolean {
    const caret = this.#view?.dom.querySelector(`.kursor-jauh[data-klien="${clientId}"]`)
    if (caret) {
      caret.scrollIntoView({ block: 'center', behavior: 'smooth' })
      return true
    }
    const viewing = this.#peers.find((p) => p.clientId === clientId)?.viewing
    return viewing ? this.revealUnit(viewing.pasalId) : false
  }

  /** Scrolls the unit `id` to the top of the text, leaving the selection where it is; false when it is not in the text. */
  revealUnit(id: string): boolean {
    const unit = this.#view?.dom.querySelector(`[data-id="${CSS.escape(id)}"]`)
    unit?.scrollIntoView({ block: 'start', behavior: 'smooth' })
    return unit != null
  }

  /** The unit this person is reading, published in awareness as `viewing` for those who follow them. */
  publishViewing(pasalId: string | null) {
    const awareness = this.provider.awareness
    const current = (awareness.getLocalState() as { viewing?: PresenceViewing | null } | null)?.viewing ?? null
    if (current?.pasalId !== pasalId) awareness.setLocalStateField('viewing', pasalId ? { pasalId } : null)
  }

  /** Hands the editor the current threads (badges, highlights, anchor states). */
  showThreads(threads: ReadonlyMap<string, Thread>) {
    this.#threads = threads
    this.#showBeside()
  }

  /** Hands the editor the current agreement statuses (margin chips). */
  showStatuses(statuses: ReadonlyMap<string, StatusRecord>) {
    this.#statuses = statuses
    this.#showBeside()
  }

  /**
   * Numbers the draft as an amendment of `base` (the text frozen when the amendment draft was
   * created): base numbers kept, suffixes for new units, "Dihapus." for deleted ones.
   */
  numberAgainst(base: Node | null) {
    this.#base = base
    this.#showBeside()
  }

  /** The draft's numbers as the editor draws them (against the base, for an amendment draft). */
  get numbering(): Numbering | null {
    return this.#state ? (numberingKey.getState(this.#state)?.numbering ?? null) : null
  }

  /** Draws the draft with new metadata (after it was changed here, or pushed by the server). */
  showMeta(meta: DraftMeta) {
    this.#meta = meta
    this.#showBeside()
  }

  #showBeside() {
    const view = this.#view
    if (!view) return
    if (wordingKey.getState(view.state)?.meta !== this.#meta) view.dispatch(setDraftMeta(view.state, this.#meta))
    if ((numberingKey.getState(view.state)?.base ?? null) !== this.#base) view.dispatch(setNumberingBase(view.state, this.#base))
    if (commentsKey.getState(view.state)?.threads !== this.#threads) view.dispatch(setThreads(view.state, this.#threads))
    if (agreementKey.getState(view.state)?.statuses !== this.#statuses) view.dispatch(setStatuses(view.state, this.#statuses))
    const suggestions = suggestionsKey.getState(view.state)
    if (suggestions?.suggestions !== this.#suggestions || suggestions.pending !== this.#pendingSuggestions)
      view.dispatch(setSuggestions(view.state, this.#suggestions, this.#pendingSuggestions))
    if (suggestionsKey.getState(view.state)?.suggesting !== this.suggesting) view.dispatch(setSuggesting(view.state, this.suggesting))
  }

  /** Highlights one thread's phrase more strongly (the one open in the panel). */
  activateThread(threadId: string | null) {
    const view = this.#view
    if (view && commentsKey.getState(view.state)?.active !== threadId) view.dispatch(setActiveThread(view.state, threadId))
  }

  /** The anchor for a new thread where the cursor (or selected phrase) is; null outside any Pasal. */
  anchorHere(): Anchor | null {
    return this.#state ? anchorAtSelection(this.#state, this.ydoc.getXmlFragment(FRAGMENT)) : null
  }

  /** Uses a new token from the next (re)connection on. */
  setToken(token: string) {
    this.provider.params = { ...this.provider.params, token }
  }

  destroy() {
    for (const cleanup of this.#cleanup) cleanup()
    if (this.#storedTimer) clearTimeout(this.#storedTimer)
    this.provider.destroy()
    void this.#local.destroy()
    this.ydoc.destroy()
  }

  #createState(fragment: Y.XmlFragment): EditorState {
    const { doc, mapping } = initProseMirrorDoc(fragment, schema)
    return EditorState.create({
      schema,
      doc,
      plugins: [
        ySyncPlugin(fragment, { mapping }),
        yCursorPlugin(this.provider.awareness, {
          awarenessStateFilter: remoteCursorFilter((position) => relativePositionToAbsolutePosition(this.ydoc, fragment, position, mapping)),
          cursorBuilder: (user, clientId) => buildCursor(user, clientId, this.#cursorMovedRecently(clientId)),
          selectionBuilder: buildSelection,
        }),
        yUndoPlugin({ protectedNodes: new Set(['teks']) }),
        // The suggestions plugin places by numbering, so that comes first.
        numberingPlugin(),
        // Before the keymap: in mode usulan, Enter and the new-unit keys propose units instead.
        suggestionsPlugin({
          ydoc: this.ydoc,
          fragment,
          onBlock: (unit) => this.#options.onBlockProposal?.(unit),
          onOpen: (id) => this.#options.onOpenSuggestion?.(id),
        }),
        ...editorKeymap(),
        // Cell selection and the table commands of a Lampiran (prosemirror-tables).
        tableEditing(),
        referencesPlugin(),
        commentsPlugin({ ydoc: this.ydoc, fragment, onBadge: (pasalId) => this.#options.onCommentBadge?.(pasalId) }),
        agreementPlugin((pasalId) => this.#options.onStatusChip?.(pasalId)),
        findPlugin(),
        pastePlugin(),
        agreedEditsPlugin({
          confirmed: this.#confirmedAgreed,
          onAsk: (pasalIds, edit) => {
            if (!this.#agreedEdit) this.#agreedEdit = { pasalIds, edit }
          },
        }),
        structurePlugin(),
        brokenReferencesPlugin((count) => this.#options.onReferencesBroken?.(count)),
        unitIdsPlugin(),
        textHygienePlugin(),
        placeholderPlugin(),
        wordingPlugin(this.#meta),
      ],
    })
  }

  #observe(state: EditorState) {
    const numbering = numberingKey.getState(state)?.numbering
    if (numbering && numbering.outline !== this.#outline) this.#outline = numbering.outline
    const anchors = commentsKey.getState(state)?.anchors
    if (anchors && anchors !== this.#anchors) this.#anchors = anchors
    const placements = suggestionsKey.getState(state)?.placements
    if (placements && placements !== this.#placements) this.#placements = placements
    this.#currentPasal = (ancestor(state.selection.$from, 'pasal')?.node.attrs.id as string | null | undefined) ?? null
    this.#canUndo = !this.#readOnly && !this.suggesting && Boolean(undoCommand(state))
    this.#canRedo = !this.#readOnly && !this.suggesting && Boolean(redoCommand(state))
  }

  /** Handlers for the Rancang protocol extensions and the y-protocols "permission denied". */
  #extendProtocol() {
    const handlers = this.provider.messageHandlers
    handlers[messageStored] = (_encoder, decoder) => {
      const confirmed = readStored(decoder)
      // Saved only if nothing was typed since the request went out (nor refused).
      if (this.#save !== 'refused' && confirmed === this.#storedRequest && this.#editsAtRequest === this.#edits && !this.#serverFailing)
        this.#save = 'saved'
    }
    handlers[messageStorageStatus] = (_encoder, decoder) => {
      this.#serverFailing = !readStorageStatus(decoder)
      if (this.#save === 'refused') return
      if (this.#serverFailing) this.#save = 'server-failing'
      else this.#askStored()
    }
    handlers[messageAuth] = (_encoder, decoder) => {
      const reason = readPermissionDenied(decoder)
      this.#readOnly = true
      if (reason === PermissionDenied.invalidContent) {
        // The server refused an edit that breaks the schema, and will refuse everything built on
        // it: stop editing, and drop the offline copy so a reload starts from the server's draft.
        this.#save = 'refused'
        void this.#local.clearData()
      }
    }
    handlers[messageThread] = (_encoder, decoder) => {
      this.#options.onThread?.(readThread(decoder))
    }
    handlers[messageStatus] = (_encoder, decoder) => {
      this.#options.onStatus?.(readStatus(decoder))
    }
    handlers[messageSuggestion] = (_encoder, decoder) => {
      this.#options.onSuggestion?.(readSuggestion(decoder))
    }
    handlers[messageRestored] = (_encoder, decoder) => {
      this.#options.onRestored?.(readRestored(decoder))
    }
    handlers[messageDraftMeta] = (_encoder, decoder) => {
      const meta = readDraftMeta(decoder)
      this.showMeta(meta)
      this.#options.onDraftMeta?.(meta)
    }
  }

  /** Asks the server to confirm that everything sent so far is stored (answered in order). */
  #askStored() {
    const ws = this.provider.ws
    if (!ws || ws.readyState !== WebSocket.OPEN || !this.provider.synced) return
    this.#storedRequest += 1
    this.#editsAtRequest = this.#edits
    ws.send(encodeStored(this.#storedRequest) as Uint8Array<ArrayBuffer>)
  }

  #watchLocalEdits() {
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      // Everything not from the server is unconfirmed until the server says it is stored: local
      // edits, and whatever the offline copy holds that the document did not have yet (edits
      // made offline before a reload).
      if (origin === this.provider || this.#readOnly) return
      this.#edits += 1
      this.#save = this.connection === 'connected' ? 'saving' : 'pending-offline'
      if (this.#storedTimer) clearTimeout(this.#storedTimer)
      this.#storedTimer = setTimeout(() => this.#askStored(), STORED_DEBOUNCE_MS)
    }
    this.ydoc.on('update', onUpdate)
    this.#cleanup.push(() => this.ydoc.off('update', onUpdate))
  }

  #watchConnection() {
    const provider = this.provider
    const onStatus = ({ status }: { status: 'connected' | 'connecting' | 'disconnected' }) => {
      if (status === 'connected') return // "connected" shows once synced
      this.#connection = this.#connection === 'connecting' ? 'connecting' : 'reconnecting'
      if (this.#save === 'saving') this.#save = 'pending-offline'
    }
    const onSync = (synced: boolean) => {
      if (!synced) return
      this.#connection = 'connected'
      if (this.#save === 'pending-offline') this.#save = 'saving'
      // Opting in to the extensions now also makes the server push comment threads to us.
      this.#askStored()
      this.#options.onSynced?.()
    }
    const onClose = (event: CloseEvent | null) => {
      if (!event) return
      this.#failure = failureOf(event.code) ?? this.#failure
      if (event.code === CloseCode.accountChanged) this.#onAccountChanged?.()
    }
    const online = () => (this.#online = true)
    const offline = () => (this.#online = false)
    provider.on('status', onStatus)
    provider.on('sync', onSync)
    provider.on('connection-close', onClose)
    addEventListener('online', online)
    addEventListener('offline', offline)
    this.#cleanup.push(() => {
      provider.off('status', onStatus)
      provider.off('sync', onSync)
      provider.off('connection-close', onClose)
      removeEventListener('online', online)
      removeEventListener('offline', offline)
    })
  }

  /** Re-evaluates rights after the account changed. */
  setUser(user: User) {
    this.#readOnly = !canEdit(user.role)
    this.#maySuggest = canComment(user.role)
    this.#showBeside()
    this.provider.awareness.setLocalStateField('user', presenceOf(user))
  }

  #showCursorLabels(clientIds: readonly number[]) {
    for (const clientId of clientIds) {
      const caret = this.#view?.dom.querySelector<HTMLElement>(`.kursor-jauh[data-klien="${clientId}"]`)
      if (!caret) continue
      caret.classList.remove('baru-bergerak')
      void caret.offsetWidth // a reflow between, so the animation starts again
      caret.classList.add('baru-bergerak')
    }
  }

  #cursorMovedRecently(clientId: number): boolean {
    const move = this.#cursorMoves.get(clientId)
    return move !== undefined && Date.now() - move.at < CURSOR_LABEL_MS
  }

  #watchPeers() {
    const awareness = this.provider.awareness
    const refresh = () => {
      const peers: Peer[] = []
      const now = Date.now()
      const moved: number[] = []
      awareness.getStates().forEach((state, clientId) => {
        const { user, cursor, viewing } = state as { user?: PresenceUser; cursor?: unknown; viewing?: unknown }
        if (!user?.name) return
        const peer = { clientId, user, self: clientId === this.ydoc.clientID, cursor: decodeCursor(cursor), viewing: decodeViewing(viewing) }
        peers.push(peer)
        const where = JSON.stringify(peer.cursor)
        if (peer.cursor && !peer.self && this.#cursorMoves.get(clientId)?.cursor !== where) {
          this.#cursorMoves.set(clientId, { at: now, cursor: where })
          moved.push(clientId)
        }
      })
      this.#peers = peers
      // A caret ProseMirror kept (same widget) does not restart its label's fade: restart it once drawn.
      if (moved.length > 0) requestAnimationFrame(() => this.#showCursorLabels(moved))
    }
    awareness.on('change', refresh)
    refresh()
    this.#cleanup.push(() => awareness.off('change', refresh))
  }
}

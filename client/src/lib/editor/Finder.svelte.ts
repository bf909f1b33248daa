import { tick } from 'svelte'
import { yUndoPluginKey } from 'y-prosemirror'
import type { EditorSession } from './EditorSession.svelte.js'
import { findStateOf, findStep, replaceAll, replaceCurrent, setSearch } from './plugins/find.js'

/**
 * The find bar's state (Ctrl+F, Ctrl+H): what is searched, where (the whole draft, or one BAB or
 * Pasal chosen from the outline), and the replacement. The matches live in the editor's find
 * plugin, so they follow every edit; everyone may search, only those who edit directly replace.
 */
export class Finder {
  readonly #session: EditorSession
  #open = $state(false)
  #replacing = $state(false)
  query = $state('')
  replacement = $state('')
  /** Id of the BAB or Pasal the search is limited to, or null. */
  scope = $state<string | null>(null)
  #input: HTMLInputElement | null = null

  constructor(session: EditorSession) {
    this.#session = session
  }

  get open(): boolean {
    return this.#open
  }
  /** Whether the replace row shows. */
  get replacing(): boolean {
    return this.#replacing && this.mayReplace
  }
  get mayReplace(): boolean {
    return this.#session.mayEditDirectly
  }
  get count(): number {
    return findStateOf(this.#session.state)?.matches.length ?? 0
  }
  /** 1-based number of the current match, or 0. */
  get current(): number {
    return (findStateOf(this.#session.state)?.current ?? -1) + 1
  }

  /** Opens the bar (with the replace row when `replacing` and allowed) and puts the focus in the search box. */
  async show(replacing: boolean) {
    this.#open = true
    this.#replacing = replacing
    await tick()
    this.#input?.focus()
    this.#input?.select()
    if (this.query) this.search()
  }

  close() {
    this.#open = false
    this.#session.runBeside(setSearch('', null), false)
    this.#session.focus()
  }

  search() {
    this.#session.runBeside(setSearch(this.query, this.scope), false)
  }

  step(direction: 1 | -1) {
    this.#session.runBeside(findStep(direction), false)
  }

  replace() {
    this.#session.runBeside(replaceCurrent(this.replacement), true)
  }

  /** Replaces every match as one change, which one undo takes back. */
  replaceAll() {
    const undo = this.#session.state ? yUndoPluginKey.getState(this.#session.state)?.undoManager : undefined
    // Separate it from edits just before and after, which the undo manager would otherwise merge in.
    undo?.stopCapturing()
    this.#session.runBeside(replaceAll(this.replacement), true)
    undo?.stopCapturing()
  }

  /** The search box registers itself, to be focused when the bar opens. */
  attachInput = (input: HTMLInputElement) => {
    this.#input = input
    return () => {
      if (this.#input === input) this.#input = null
    }
  }
}

import { Plugin, type EditorState, type Transaction } from 'prosemirror-state'
import { Decoration, DecorationSet } from 'prosemirror-view'
import { keydownHandler } from 'prosemirror-keymap'
import type { Node } from 'prosemirror-model'
import type * as Y from 'yjs'
import { ySyncPluginKey } from 'y-prosemirror'
import { bidangColor } from '../../../../../shared/presence.js'
import type { Suggestion } from '../../../../../shared/suggestions.js'
import { placeSuggestion, type Placement } from '../suggestionAnchor.js'
import { numberingKey, suggestionsKey } from './keys.js'

/** The kind of unit a suggested block proposes. */
export type BlockUnit = 'ayat' | 'pasal'

export interface SuggestionsState {
  readonly suggestions: readonly Suggestion[]
  /** Ids still being sent by this browser (drawn as pending). */
  readonly pending: ReadonlySet<string>
  /** Mode usulan: local edits become suggestions and never reach the document. */
  readonly suggesting: boolean
  /** Where each open suggestion sits now. */
  readonly placements: ReadonlyMap<string, Placement>
  readonly decorations: DecorationSet
}

export interface SuggestionsPluginOptions {
  readonly ydoc: Y.Doc
  readonly fragment: Y.XmlFragment
  /** In mode usulan, Enter or a new-unit shortcut asks for a new ayat or Pasal. */
  readonly onBlock: (unit: BlockUnit) => void
  /** A suggestion in the text was clicked. */
  readonly onOpen: (id: string) => void
}

type Meta = { readonly suggestions?: readonly Suggestion[]; readonly pending?: ReadonlySet<string>; readonly suggesting?: boolean }

/** Whether a transaction carries changes from other people (applied by y-prosemirror), not this view's own edits. */
export const isRemote = (tr: Transaction) => Boolean((tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin)

const KIND_WORDS: Record<string, string> = { ayat: 'ayat', pasal: 'pasal', butir: 'rincian' }

function describe(suggestion: Suggestion) {
  return `Usulan ${suggestion.author.name} (${suggestion.author.bidang})`
}

function inserted(suggestion: Suggestion, pending: boolean) {
  return () => {
    const ins = document.createElement('ins')
    ins.className = pending ? 'usulan-sisip menunggu' : 'usulan-sisip'
    ins.dataset.usulan = suggestion.id
    ins.style.setProperty('--warna-usulan', bidangColor(suggestion.author.bidang))
    ins.textContent = suggestion.insert
    ins.title = `${describe(suggestion)}: sisipkan`
    return ins
  }
}

/** Plain text of proposed units (ProseMirror JSON), one line per text block. */
function blockLines(blocks: readonly unknown[]): string[] {
  const lines: string[] = []
  const walk = (node: unknown) => {
    const value = node as { type?: string; text?: string; content?: unknown[] }
    if (value.type === 'teks') lines.push((value.content ?? []).map((c) => (c as { text?: string }).text ?? '').join(''))
    else for (const child of value.content ?? []) walk(child)
  }
  blocks.forEach(walk)
  return lines
}

function suggestedBlock(suggestion: Suggestion, pending: boolean) {
  return () => {
    const div = document.createElement('div')
    div.className = pending ? 'usulan-blok menunggu' : 'usulan-blok'
    div.contentEditable = 'false'
    div.dataset.usulan = suggestion.id
    div.style.setProperty('--warna-usulan', bidangColor(suggestion.author.bidang))
    const type = (suggestion.blocks?.[0] as { type?: string } | undefined)?.type ?? 'ayat'
    const head = document.createElement('span')
    head.className = 'usulan-blok-kepala'
    head.textContent = `Usulan ${KIND_WORDS[type] ?? 'unit'} baru — ${suggestion.author.name}`
    div.append(head)
    for (const line of blockLines(suggestion.blocks ?? [])) {
      const p = document.createElement('ins')
      p.className = 'usulan-blok-teks'
      p.textContent = line
      div.append(p)
    }
    return div
  }
}

/** The end of the unit of `type` holding `pos` (where new units of that kind go), or null. */
function unitEnd(doc: Node, pos: number, type: string): number | null {
  const $pos = doc.resolve(pos)
  for (let depth = $pos.depth; depth > 0; depth--) if ($pos.node(depth).type.name === type) return $pos.after(depth)
  return null
}

function build(
  state: EditorState,
  suggestions: readonly Suggestion[],
  pending: ReadonlySet<string>,
  suggesting: boolean,
  options: SuggestionsPluginOptions,
) {
  const numbering = numberingKey.getState(state)!.numbering
  const placements = new Map<string, Placement>()
  const decorations: Decoration[] = []
  for (const suggestion of suggestions) {
    if (suggestion.status !== 'open') continue
    const placement = placeSuggestion(suggestion, state.doc, numbering, options.ydoc, options.fragment)
    if (!placement) continue
    placements.set(suggestion.id, placement)
    const waiting = pending.has(suggestion.id)
    const color = `--warna-usulan: ${bidangColor(suggestion.author.bidang)}`
    const title = describe(suggestion)
    if (suggestion.kind === 'deletePasal') {
      decorations.push(
        Decoration.node(placement.from, placement.to, {
          class: 'usulan-hapus-pasal',
          style: color,
          title: `${title}: hapus pasal`,
          'data-usulan': suggestion.id,
        }),
      )
    } else if (suggestion.kind === 'blocks') {
      const type = (suggestion.blocks?.[0] as { type?: string } | undefined)?.type ?? 'ayat'
      const at = unitEnd(state.doc, placement.to, type)
      if (at !== null)
        decorations.push(
          Decoration.widget(at, suggestedBlock(suggestion, waiting), { side: -1, key: `usulan-blok-${suggestion.id}-${suggestion.updatedAt}` }),
        )
    } else {
      if (placement.from < placement.to)
        decorations.push(
          Decoration.inline(placement.from, placement.to, {
            nodeName: 'del',
            class: waiting ? 'usulan-hapus menunggu' : 'usulan-hapus',
            style: color,
            title: `${title}: hapus`,
            'data-usulan': suggestion.id,
          }),
        )
      if (suggestion.insert)
        decorations.push(
          Decoration.widget(placement.to, inserted(suggestion, waiting), {
            side: -1,
            marks: [],
            key: `usulan-${suggestion.id}-${waiting}-${suggestion.insert}`,
          }),
        )
    }
  }
  return { suggestions, pending, suggesting, placements, decorations: DecorationSet.create(state.doc, decorations) }
}

/**
 * Suggestions in the text, and mode usulan. Open suggestions are drawn where they apply: proposed
 * words underlined in the author's bidang colour, words to delete struck through, proposed units
 * as a block, a Pasal to delete struck through whole. In mode usulan no local change to the text
 * passes `filterTransaction` (the page turns it into a suggestion before), so nothing reaches
 * y-prosemirror; Enter and the new-unit shortcuts ask for a new ayat or Pasal instead.
 */
export function suggestionsPlugin(options: SuggestionsPluginOptions): Plugin<SuggestionsState> {
  const keys = keydownHandler({
    Enter: () => (options.onBlock('ayat'), true),
    'Mod-Alt-a': () => (options.onBlock('ayat'), true),
    'Mod-Alt-p': () => (options.onBlock('pasal'), true),
    // Undo would change the shared document through Yjs directly.
    'Mod-z': () => true,
    'Mod-y': () => true,
    'Shift-Mod-z': () => true,
  })
  return new Plugin<SuggestionsState>({
    key: suggestionsKey,
    state: {
      init: (_, state) => build(state, [], new Set(), false, options),
      apply: (tr, previous, _old, state) => {
        const meta = tr.getMeta(suggestionsKey) as Meta | undefined
        if (!meta && !tr.docChanged) return previous
        return build(
          state,
          meta?.suggestions ?? previous.suggestions,
          meta?.pending ?? previous.pending,
          meta?.suggesting ?? previous.suggesting,
          options,
        )
      },
    },
    filterTransaction: (tr, state) => !(suggestionsKey.getState(state)?.suggesting && tr.docChanged && !isRemote(tr)),
    props: {
      decorations: (state) => suggestionsKey.getState(state)?.decorations,
      handleKeyDown: (view, event) => Boolean(suggestionsKey.getState(view.state)?.suggesting) && keys(view, event),
      handleDOMEvents: {
        // Typed text is taken before the browser puts it in the DOM: next to a suggested word
        // (a widget) the browser's own insertion can land where ProseMirror does not read it.
        beforeinput: (view, event) => {
          const input = event as InputEvent
          if (!suggestionsKey.getState(view.state)?.suggesting || input.inputType !== 'insertText' || !input.data) return false
          // Where the browser would put it: the DOM selection may be newer than the editor's.
          const [range] = input.getTargetRanges()
          const from = range ? view.posAtDOM(range.startContainer, range.startOffset) : view.state.selection.from
          const to = range ? view.posAtDOM(range.endContainer, range.endOffset) : view.state.selection.to
          event.preventDefault()
          view.dispatch(view.state.tr.insertText(input.data, Math.min(from, to), Math.max(from, to)))
          return true
        },
      },
      handleClick: (_view, _pos, event) => {
        const id = (event.target as HTMLElement | null)?.closest?.('[data-usulan]')?.getAttribute('data-usulan')
        if (id) options.onOpen(id)
        return false
      },
    },
  })
}

/** A transaction that hands the plugin the current suggestions (and those still being sent). */
export const setSuggestions = (state: EditorState, suggestions: readonly Suggestion[], pending: ReadonlySet<string>) =>
  state.tr.setMeta(suggestionsKey, { suggestions, pending } satisfies Meta)
/** A transaction that switches mode usulan on or off. */
export const setSuggesting = (state: EditorState, suggesting: boolean) => state.tr.setMeta(suggestionsKey, { suggesting } satisfies Meta)

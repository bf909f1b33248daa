import { Plugin, TextSelection, type Command, type EditorState } from 'prosemirror-state'
import type { Node } from 'prosemirror-model'
import { Decoration, DecorationSet } from 'prosemirror-view'
import { findKey } from './keys.js'

/** A match: positions in the document. */
export interface Match {
  readonly from: number
  readonly to: number
}

export interface FindState {
  readonly query: string
  /** The unit (a BAB or Pasal, by id) the search is limited to, or null for the whole draft. */
  readonly scope: string | null
  readonly matches: readonly Match[]
  /** Index of the current match, or -1. */
  readonly current: number
  readonly decorations: DecorationSet
}

interface Meta {
  readonly query?: string
  readonly scope?: string | null
  readonly current?: number
}

/** Stands for an inline node that is not text (a live reference): no match runs across it. */
const OBJECT = '\uFFFC'

/** The range of the unit with id `scope`, or null when it is gone. */
function scopeRange(doc: Node, scope: string): Match | null {
  let range: Match | null = null
  doc.descendants((node, pos) => {
    if (range) return false
    if (node.attrs.id === scope && !node.isInline) range = { from: pos, to: pos + node.nodeSize }
    return !node.isTextblock
  })
  return range
}

/**
 * Every case-insensitive occurrence of `query` in the text blocks of `doc` (within `scope`'s unit
 * when given), in document order. Text inside one block only: a match never spans two paragraphs
 * or a live reference.
 */
export function findMatches(doc: Node, query: string, scope: string | null = null): Match[] {
  if (!query) return []
  const range = scope ? scopeRange(doc, scope) : { from: 0, to: doc.content.size }
  if (!range) return []
  const needle = query.toLocaleLowerCase('id')
  const matches: Match[] = []
  doc.nodesBetween(range.from, range.to, (node, pos) => {
    if (!node.isTextblock) return true
    let text = ''
    node.forEach((child) => (text += child.isText ? child.text! : OBJECT.repeat(child.nodeSize)))
    // Lower-casing keeps the length for the Latin text of a regulation, so offsets stay positions.
    const haystack = text.toLocaleLowerCase('id')
    if (haystack.length !== text.length) return false
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) {
      const from = pos + 1 + at
      if (from >= range.from && from + needle.length <= range.to) matches.push({ from, to: from + needle.length })
    }
    return false
  })
  return matches
}

function build(doc: Node, query: string, scope: string | null, current: number): FindState {
  const matches = findMatches(doc, query, scope)
  const index = matches.length === 0 ? -1 : Math.min(Math.max(current, 0), matches.length - 1)
  const decorations = matches.map((m, i) => Decoration.inline(m.from, m.to, { class: i === index ? 'temuan aktif' : 'temuan' }))
  return { query, scope, matches, current: index, decorations: DecorationSet.create(doc, decorations) }
}

/** Highlights the matches of the find bar's search in the text, the current one more strongly. */
export function findPlugin(): Plugin<FindState> {
  return new Plugin<FindState>({
    key: findKey,
    state: {
      init: (_, state) => build(state.doc, '', null, -1),
      apply: (tr, previous, _old, state) => {
        const meta = tr.getMeta(findKey) as Meta | undefined
        if (!meta && (!tr.docChanged || !previous.query)) return previous
        return build(
          state.doc,
          meta?.query ?? previous.query,
          meta?.scope !== undefined ? meta.scope : previous.scope,
          meta?.current ?? previous.current,
        )
      },
    },
    props: { decorations: (state) => findKey.getState(state)?.decorations },
  })
}

/** Searches for `query` (within the unit `scope`), starting at the first match after the cursor. */
export const setSearch =
  (query: string, scope: string | null): Command =>
  (state, dispatch) => {
    const head = state.selection.from
    const first = findMatches(state.doc, query, scope).findIndex((m) => m.from >= head)
    dispatch?.(state.tr.setMeta(findKey, { query, scope, current: Math.max(first, 0) } satisfies Meta))
    return true
  }

/** Moves to the next (1) or previous (-1) match, selecting it and scrolling it into view. */
export const findStep =
  (direction: 1 | -1): Command =>
  (state, dispatch) => {
    const find = findKey.getState(state)
    if (!find || find.matches.length === 0) return false
    const current = (find.current + direction + find.matches.length) % find.matches.length
    const match = find.matches[current]!
    dispatch?.(
      state.tr
        .setSelection(TextSelection.create(state.doc, match.from, match.to))
        .setMeta(findKey, { current } satisfies Meta)
        .scrollIntoView(),
    )
    return true
  }

/** Replaces the current match with `text`; the next match becomes current. */
export const replaceCurrent =
  (text: string): Command =>
  (state, dispatch) => {
    const find = findKey.getState(state)
    const match = find?.matches[find.current]
    if (!find || !match) return false
    if (dispatch) {
      const tr = state.tr.insertText(text, match.from, match.to)
      // Go on after the replacement, which may itself hold the query.
      const next = findMatches(tr.doc, find.query, find.scope).findIndex((m) => m.from >= match.from + text.length)
      dispatch(tr.setMeta(findKey, { current: Math.max(next, 0) } satisfies Meta).scrollIntoView())
    }
    return true
  }

/** Replaces every match with `text` in one transaction: one change, one undo. */
export const replaceAll =
  (text: string): Command =>
  (state, dispatch) => {
    const matches = findKey.getState(state)?.matches ?? []
    if (matches.length === 0) return false
    if (dispatch) {
      const tr = state.tr
      for (const match of [...matches].reverse()) tr.insertText(text, match.from, match.to)
      dispatch(tr)
    }
    return true
  }

/** The search as the find bar shows it. */
export const findStateOf = (state: EditorState | null) => (state ? findKey.getState(state) : undefined)

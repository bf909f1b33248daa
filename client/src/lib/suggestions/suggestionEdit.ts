import type { Transaction } from 'prosemirror-state'
import { ReplaceStep } from 'prosemirror-transform'
import type { Node } from 'prosemirror-model'

/**
 * What a local editing transaction would have changed, read as a suggestion ("mode usulan"):
 * the transaction itself is never applied. Positions are in the document before it.
 * - `text`: the range `from`..`to` replaced by `insert` (a typed word, a deletion, a paste), with
 *   where the caret goes next (after the proposed words, or before the struck text on Backspace);
 * - `deletePasal`: a whole Pasal removed (at `pos`);
 * - `unsupported`: a structural change that is proposed another way (Enter opens the new-unit form).
 */
export type ProposedChange =
  | { readonly kind: 'text'; readonly from: number; readonly to: number; readonly insert: string; readonly caret: number }
  | { readonly kind: 'deletePasal'; readonly pos: number }
  | { readonly kind: 'unsupported' }

/** The Pasal around `pos`, as its position; null outside any Pasal. */
export function pasalAround(doc: Node, pos: number): number | null {
  const $pos = doc.resolve(pos)
  for (let depth = $pos.depth; depth > 0; depth--) if ($pos.node(depth).type.name === 'pasal') return $pos.before(depth)
  return null
}

/**
 * The changed span of a transaction: `start`..`endA` in the document before, `start`..`endB` after.
 * One replace step (typing, deleting, pasting) says exactly where; otherwise the two documents
 * are compared.
 */
function changedSpan(tr: Transaction): { start: number; endA: number; endB: number } | null {
  const step = tr.steps.length === 1 ? tr.steps[0] : undefined
  if (step instanceof ReplaceStep) {
    return { start: step.from, endA: step.to, endB: tr.mapping.map(step.to) }
  }
  const start = tr.before.content.findDiffStart(tr.doc.content)
  if (start === null) return null
  let { a: endA, b: endB } = tr.before.content.findDiffEnd(tr.doc.content) ?? { a: start, b: start }
  // The two scans overlap when the change repeats its neighbour ("aa" → "aaa"): trim to the start.
  const overlap = start - Math.min(endA, endB)
  if (overlap > 0) {
    endA += overlap
    endB += overlap
  }
  return { start, endA, endB }
}

/**
 * Reads the change a local transaction makes, given the selection it started from; null when it
 * changes no text.
 */
export function changeOf(tr: Transaction, selection: { readonly from: number; readonly empty: boolean }): ProposedChange | null {
  if (!tr.docChanged) return null
  const before = tr.before
  const after = tr.doc
  const span = changedSpan(tr)
  if (!span) return null
  const { start, endA, endB } = span
  const removed = before.nodeAt(start)
  if (removed?.type.name === 'pasal' && start + removed.nodeSize === endA && endB === start) return { kind: 'deletePasal', pos: start }
  const $from = before.resolve(start)
  const $to = before.resolve(endA)
  const $newFrom = after.resolve(start)
  const $newTo = after.resolve(endB)
  const pasal = pasalAround(before, start)
  if (
    !$from.parent.isTextblock ||
    !$to.parent.isTextblock ||
    pasal === null ||
    pasal !== pasalAround(before, endA) ||
    !$newFrom.sameParent($newTo) ||
    !$newFrom.parent.isTextblock
  )
    return { kind: 'unsupported' }
  const insert = after.textBetween(start, endB)
  if (!insert && start === endA) return null
  // Backspace leaves the caret before the struck text; typing and Delete leave it after.
  const caret = !insert && selection.empty && selection.from === endA ? start : endA
  return { kind: 'text', from: start, to: endA, insert, caret }
}

/** One of this person's open text suggestions, where it sits now. */
export interface OwnSuggestion {
  readonly key: string
  readonly from: number
  readonly to: number
  readonly insert: string
}

/** How a typed change joins this person's suggestions. */
export type EditPlan =
  | { readonly kind: 'new'; readonly from: number; readonly to: number; readonly insert: string; readonly caret: number }
  | { readonly kind: 'extend'; readonly key: string; readonly from: number; readonly to: number; readonly insert: string; readonly caret: number }

/**
 * Typing next to one's own open suggestion extends it instead of starting another: more words
 * after its proposed words, Backspace over its proposed words, or a deletion grown at either end.
 */
export function planEdit(change: { from: number; to: number; insert: string; caret: number }, own: readonly OwnSuggestion[]): EditPlan {
  const { from, to, insert } = change
  for (const s of own) {
    if (insert && from === to && to === s.to) return { kind: 'extend', key: s.key, from: s.from, to: s.to, insert: s.insert + insert, caret: s.to }
    if (!insert && s.insert && to === s.to && to - from <= s.insert.length)
      return { kind: 'extend', key: s.key, from: s.from, to: s.to, insert: s.insert.slice(0, s.insert.length - (to - from)), caret: s.to }
    if (!insert && !s.insert && to === s.from) return { kind: 'extend', key: s.key, from, to: s.to, insert: '', caret: from }
    if (!insert && !s.insert && from === s.to) return { kind: 'extend', key: s.key, from: s.from, to, insert: '', caret: to }
  }
  return { kind: 'new', ...change }
}

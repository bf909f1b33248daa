import type * as Y from 'yjs'
import type { Node } from 'prosemirror-model'
import { positionToRelative } from '../../shared/anchors.js'
import { numberDocument, type Label, type Numbering } from '../../shared/model/numbering.js'
import { renderAllReferences, type RenderedReference } from '../../shared/model/references.js'
import type { NewSuggestion, Suggestion } from '../../shared/suggestions.js'
import { REASONS, describeChange, type Proposal, type UnplacedChange } from './wordChanges.js'

/**
 * Places the proposals of a Word draft in the live draft: the Pasal by its label (the numbering of
 * the export, which is the live numbering unless the draft changed since), then the paragraph
 * whose wording equals the paragraph's text as exported; anchors get Yjs relative positions, so
 * the suggestions follow the text like any other. A paragraph not found in its Pasal is looked for
 * in every Pasal (a Pasal renumbered since the export), and used when exactly one matches.
 */

/** A proposal turned into the body of a new suggestion, with who made it in Word and when. */
export interface WordSuggestion {
  readonly suggestion: NewSuggestion
  /** `w:author` as Word recorded it. */
  readonly author: string
  /** `w:date` as Word recorded it (may be empty). */
  readonly date: string
  /** The Pasal as the Word file labels it, for the list of changes not made. */
  readonly pasal: string
}

/** A text block of a Pasal as the export lays it out: its words, with live references rendered. */
interface Block {
  readonly pasal: Label
  /** The label of the unit (ayat or butir) the block starts, or "". */
  readonly label: string
  readonly text: string
  /** Where its content starts. */
  readonly start: number
  /** Per piece: where it sits in `text` and in the document. */
  readonly pieces: ReadonlyArray<{ readonly start: number; readonly end: number; readonly pos: number; readonly atom: boolean }>
}

function blocksOf(doc: Node, numbering: Numbering): Block[] {
  const references = renderAllReferences(doc, numbering)
  const labelAt = new Map(numbering.labels.map((l) => [l.pos, l.label]))
  const blocks: Block[] = []
  for (const pasal of numbering.labels) {
    if (pasal.kind !== 'pasal') continue
    doc.nodeAt(pasal.pos)!.descendants((node, offset, parent, index) => {
      if (!node.isTextblock) return true
      const pos = pasal.pos + 1 + offset
      let text = ''
      const pieces: Array<Block['pieces'][number]> = []
      node.forEach((child, childOffset) => {
        const at = pos + 1 + childOffset
        const words = child.isText ? child.text! : ((references.get(at) as RenderedReference | undefined)?.text ?? '')
        pieces.push({ start: text.length, end: text.length + words.length, pos: at, atom: !child.isText })
        text += words
      })
      // The first block of a unit (ayat, butir) carries the unit's label, as in the export.
      const label = index === 0 && parent ? (labelAt.get(pos - 1) ?? '') : ''
      blocks.push({ pasal, label, text, start: pos + 1, pieces })
      return false
    })
  }
  return blocks
}

/** The document position of offset `at` of a block's text, or null inside a rendered reference. */
function positionOf(block: Block, at: number): number | null {
  if (block.pieces.length === 0) return block.start
  for (const piece of block.pieces) {
    if (at < piece.start || at > piece.end) continue
    if (!piece.atom) return piece.pos + (at - piece.start)
    if (at === piece.start) return piece.pos
    if (at === piece.end) return piece.pos + 1
    return null
  }
  return null
}

export function placeProposals(
  proposals: readonly Proposal[],
  doc: Node,
  fragment: Y.XmlFragment,
  existing: readonly Suggestion[],
): { placed: WordSuggestion[]; unplaced: UnplacedChange[] } {
  const numbering = numberDocument(doc)
  const blocks = blocksOf(doc, numbering)
  const placed: WordSuggestion[] = []
  const unplaced: UnplacedChange[] = []
  const open = existing.filter((s) => s.status === 'open')
  const refuse = (proposal: Proposal, reason: string) =>
    unplaced.push({
      pasal: proposal.pasal,
      text:
        proposal.kind === 'text' ? describeChange(proposal.before.slice(proposal.start, proposal.end), proposal.insert) : `hapus ${proposal.pasal}`,
      author: proposal.author,
      reason,
    })
  const relative = (pos: number, assoc: -1 | 0) => positionToRelative(fragment, doc, pos, assoc)

  for (const proposal of proposals) {
    const inPasal = blocks.filter((b) => b.pasal.label === proposal.pasal)
    if (proposal.kind === 'deletePasal') {
      const pasal = inPasal[0]?.pasal
      if (!pasal) {
        refuse(proposal, REASONS.pasalNotFound)
        continue
      }
      if (inPasal.map((b) => b.text).join('\n') !== proposal.texts.join('\n')) {
        refuse(proposal, REASONS.textChanged)
        continue
      }
      if (open.some((s) => s.kind === 'deletePasal' && s.anchor.pasalId === pasal.id)) {
        refuse(proposal, REASONS.duplicate)
        continue
      }
      const at = inPasal[0]!.pieces[0]?.pos ?? pasal.pos + 3
      const from = relative(at, 0)
      const to = relative(at, -1)
      if (!from || !to) {
        refuse(proposal, REASONS.textChanged)
        continue
      }
      const suggestion: NewSuggestion = { kind: 'deletePasal', anchor: { pasalId: pasal.id!, range: { from, to, quote: '' } }, insert: '' }
      placed.push({ suggestion, author: proposal.author, date: proposal.date, pasal: proposal.pasal })
      continue
    }
    let candidates = inPasal.filter((b) => b.text === proposal.before)
    // Two paragraphs of one Pasal with the same wording: the one with the same label.
    if (candidates.length > 1) candidates = [candidates.find((b) => b.label === proposal.label) ?? candidates[0]!]
    if (candidates.length === 0) {
      const elsewhere = blocks.filter((b) => b.text === proposal.before)
      if (elsewhere.length !== 1) {
        refuse(proposal, inPasal.length === 0 ? REASONS.pasalNotFound : REASONS.textChanged)
        continue
      }
      candidates = elsewhere
    }
    const block = candidates[0]!
    const fromPos = positionOf(block, proposal.start)
    const toPos = positionOf(block, proposal.end)
    const touchesReference = block.pieces.some((p) => p.atom && p.start < proposal.end && p.end > proposal.start)
    if (fromPos === null || toPos === null || touchesReference) {
      refuse(proposal, REASONS.reference)
      continue
    }
    const quote = block.text.slice(proposal.start, proposal.end)
    const pasalId = block.pasal.id!
    if (open.some((s) => s.anchor.pasalId === pasalId && s.anchor.range.quote === quote && s.insert === proposal.insert)) {
      refuse(proposal, REASONS.duplicate)
      continue
    }
    const from = relative(fromPos, 0)
    const to = relative(toPos, -1)
    if (!from || !to) {
      refuse(proposal, REASONS.textChanged)
      continue
    }
    placed.push({
      suggestion: { kind: 'text', anchor: { pasalId, range: { from, to, quote } }, insert: proposal.insert },
      author: proposal.author,
      date: proposal.date,
      pasal: proposal.pasal,
    })
  }
  return { placed, unplaced }
}

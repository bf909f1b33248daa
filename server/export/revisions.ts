import type { Node } from 'prosemirror-model'
import type { Suggestion } from '../../shared/suggestions.js'

/**
 * Open suggestions laid over the regulation as Word revisions ("tracked changes"), so the Biro
 * Hukum sees them in Word's Review pane: a text suggestion deletes its range and inserts its wording
 * at the range's end; `deletePasal` deletes the whole Pasal; `blocks` inserts new paragraphs after
 * the unit that holds the range's end. Positions are those of the draft the regulation is built from.
 */

/** Who made a change and when, as Word records it (`w:author`, `w:date`). */
export interface Revision {
  readonly author: string
  /** xsd:dateTime without fractions of a second, as Word writes it. */
  readonly date: string
}

/** A suggestion whose anchor resolves in the draft being exported: its range as ProseMirror positions. */
export interface PlacedSuggestion {
  readonly suggestion: Suggestion
  readonly from: number
  readonly to: number
}

export interface TextRevision {
  readonly from: number
  readonly to: number
  readonly insert: string
  readonly revision: Revision
}

/** New units proposed after an existing one, as the paragraphs of text they hold. */
export interface InsertedUnits {
  readonly revision: Revision
  /** Whether the units are Pasal (they get a "Pasal …" heading each). */
  readonly pasal: boolean
  /** Per unit, the text of each of its text blocks. */
  readonly units: ReadonlyArray<readonly string[]>
}

export interface Revisions {
  /** Text suggestions, oldest first: where two overlap, the older one marks the shared text deleted. */
  readonly text: readonly TextRevision[]
  /** Pasal proposed for deletion, by the position of the Pasal node. */
  readonly deletedPasal: ReadonlyMap<number, Revision>
  /** Units proposed after the unit (Pasal, ayat or butir) at a position. */
  readonly insertedAfter: ReadonlyMap<number, readonly InsertedUnits[]>
}

export const NO_REVISIONS: Revisions = { text: [], deletedPasal: new Map(), insertedAfter: new Map() }

/** The author as Word shows it in the margin: "Dewi Lestari (Biro Hukum)". */
export function revisionOf(suggestion: Suggestion): Revision {
  const { name, bidang } = suggestion.author
  return { author: bidang ? `${name} (${bidang})` : name, date: suggestion.createdAt.replace(/\.\d+Z$/, 'Z') }
}

/** The position of the innermost ancestor of type `type` around `pos`, or null. */
function ancestorPos(doc: Node, pos: number, type: string): number | null {
  const $pos = doc.resolve(pos)
  for (let depth = $pos.depth; depth > 0; depth--) if ($pos.node(depth).type.name === type) return $pos.before(depth)
  return null
}

const textBlocksOf = (unit: Node) => {
  const texts: string[] = []
  unit.descendants((node) => {
    if (!node.isTextblock) return true
    texts.push(node.textContent)
    return false
  })
  return texts
}

/** The revisions of the open suggestions placed in `doc`, in the order given (oldest first). */
export function revisionsOf(doc: Node, placed: readonly PlacedSuggestion[]): Revisions {
  const text: TextRevision[] = []
  const deletedPasal = new Map<number, Revision>()
  const insertedAfter = new Map<number, InsertedUnits[]>()
  for (const { suggestion, from, to } of placed) {
    if (suggestion.status !== 'open') continue
    const revision = revisionOf(suggestion)
    const kind = suggestion.kind ?? 'text'
    if (kind === 'text') {
      text.push({ from, to, insert: suggestion.insert, revision })
    } else if (kind === 'deletePasal') {
      // Placed as the whole Pasal node (shared/suggestionAnchor.ts), or at a point inside it.
      const at = doc.nodeAt(from)?.type.name === 'pasal' ? from : ancestorPos(doc, from, 'pasal')
      if (at !== null && !deletedPasal.has(at)) deletedPasal.set(at, revision)
    } else {
      const nodes = (suggestion.blocks ?? []).flatMap((json) => {
        try {
          return [doc.type.schema.nodeFromJSON(json)]
        } catch {
          return []
        }
      })
      const type = nodes[0]?.type.name
      const at = type ? ancestorPos(doc, to, type) : null
      if (at === null) continue
      const units = nodes.filter((node) => node.type.name === type).map(textBlocksOf)
      insertedAfter.set(at, [...(insertedAfter.get(at) ?? []), { revision, pasal: type === 'pasal', units }])
    }
  }
  return { text, deletedPasal, insertedAfter }
}

/** A piece of a text block as laid out: a text node (one position per character) or an inline atom. */
export interface Piece<R extends { readonly text: string }> {
  readonly from: number
  readonly to: number
  readonly runs: readonly R[]
  readonly atom: boolean
}

/**
 * The runs of a text block (ending at `end`) with the text revisions applied: the runs are cut
 * where a range starts or ends, runs inside a range are marked deleted, and each proposed wording
 * follows its range as an inserted run. An atom (a live reference) is deleted whole or not at all.
 */
export function reviseRuns<R extends { readonly text: string }>(
  pieces: readonly Piece<R>[],
  end: number,
  revisions: readonly TextRevision[],
  mark: (run: R, kind: 'ins' | 'del', revision: Revision) => R,
  plain: (text: string) => R,
): R[] {
  const start = pieces[0]?.from ?? end
  const relevant = revisions.filter((r) => r.to >= start && r.from <= end)
  if (relevant.length === 0) return pieces.flatMap((piece) => piece.runs)
  const out: R[] = []
  const inserted = new Set<TextRevision>()
  const insertAt = (pos: number) => {
    for (const r of relevant) {
      if (r.to !== pos || inserted.has(r) || !r.insert) continue
      inserted.add(r)
      out.push(mark(plain(r.insert), 'ins', r.revision))
    }
  }
  const emit = (run: R, from: number, to: number) => {
    insertAt(from)
    const deleting = relevant.find((r) => r.from < r.to && r.from <= from && to <= r.to)
    out.push(deleting ? mark(run, 'del', deleting.revision) : run)
  }
  for (const piece of pieces) {
    if (piece.atom) {
      for (const run of piece.runs) emit(run, piece.from, piece.to)
      continue
    }
    // A text piece is one run: cut it at every range boundary inside it.
    const run = piece.runs[0]!
    const cuts = [...new Set(relevant.flatMap((r) => [r.from, r.to]).filter((pos) => pos > piece.from && pos < piece.to))].sort((a, b) => a - b)
    let at = piece.from
    for (const cut of [...cuts, piece.to]) {
      emit({ ...run, text: run.text.slice(at - piece.from, cut - piece.from) }, at, cut)
      at = cut
    }
  }
  insertAt(end)
  return out
}

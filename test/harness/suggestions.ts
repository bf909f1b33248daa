import JSZip from 'jszip'
import type { Node } from 'prosemirror-model'
import { numberDocument } from '../../shared/model/numbering.js'
import type { Suggestion } from '../../shared/suggestions.js'
import type { PlacedSuggestion } from '../../server/export/revisions.js'

/** Suggestion records and Word files for the tests of the suggestions' Word interop. */

export const DEWI = { id: 'dewi-id', username: 'dewi', name: 'Dewi Lestari', bidang: 'Biro Hukum' }
export const AGUS = { id: 'agus-id', username: 'agus', name: 'Agus Salim', bidang: '' }

/** The positions of `phrase` in Pasal `n` of `doc`. */
export function phraseIn(doc: Node, n: number, phrase: string): { pasalId: string; from: number; to: number } {
  const pasal = numberDocument(doc).labels.find((l) => l.kind === 'pasal' && l.number === n)!
  let found: { from: number; to: number } | null = null
  doc.nodeAt(pasal.pos)!.descendants((node, offset) => {
    if (found || !node.isTextblock) return !found
    const index = node.textContent.indexOf(phrase)
    if (index >= 0) found = { from: pasal.pos + 2 + offset + index, to: pasal.pos + 2 + offset + index + phrase.length }
    return false
  })
  if (!found) throw new Error(`"${phrase}" not in Pasal ${n}`)
  return { pasalId: pasal.id!, ...(found as { from: number; to: number }) }
}

/** An open suggestion of `kind` on `phrase` of Pasal `n`, placed in `doc`. */
export function placedSuggestion(
  doc: Node,
  n: number,
  phrase: string,
  change: Partial<Suggestion> & { insert: string },
  createdAt = '2026-11-30T01:02:03.456Z',
): PlacedSuggestion {
  const { pasalId, from, to } = phraseIn(doc, n, phrase)
  const suggestion: Suggestion = {
    id: `s-${n}-${phrase}`,
    docId: 'rapergub-spbe',
    kind: 'text',
    anchor: { pasalId, range: { from: 'AA==', to: 'AA==', quote: phrase } },
    status: 'open',
    author: DEWI,
    createdAt,
    updatedAt: createdAt,
    origin: { pasalLabel: `Pasal ${n}` },
    replies: [],
    ...change,
  }
  return { suggestion, from, to }
}

export async function documentXml(bytes: Uint8Array): Promise<string> {
  return (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string')
}

import { withoutUnprintable } from '../../shared/text.js'
import { Refusal } from '../refusal.js'
import { BAB, BAGIAN, PARAGRAF, PASAL, PENUTUP, leadingLabel } from './headings.js'
import { afterText, beforeText, type WordParagraph, type WordSegment } from './trackedChanges.js'

/**
 * What the tracked changes of a Word draft propose, located by the structure the file shows: the
 * Pasal each paragraph sits under ("Pasal 7" as exported, so in the numbering of the export), and
 * the unit label it starts with. Changes are cut at word boundaries: Word records "dap" → "waj"
 * when someone retypes part of "dapat", a reader means the word.
 */

export interface TextProposal {
  readonly kind: 'text'
  /** "Pasal 7". */
  readonly pasal: string
  /** The paragraph's unit label ("(2)", "a."), or "" when it has none. */
  readonly label: string
  /** The paragraph's text as exported, after its label. */
  readonly before: string
  /** The changed range of `before`, and what replaces it. */
  readonly start: number
  readonly end: number
  readonly insert: string
  readonly author: string
  readonly date: string
}

export interface PasalDeletionProposal {
  readonly kind: 'deletePasal'
  readonly pasal: string
  /** The text of each paragraph of the Pasal as exported, after its label. */
  readonly texts: readonly string[]
  readonly author: string
  readonly date: string
}

export type Proposal = TextProposal | PasalDeletionProposal

/** A change that cannot become a suggestion, and why (in Indonesian, for the person importing). */
export interface UnplacedChange {
  /** "Pasal 7", or "" outside the batang tubuh. */
  readonly pasal: string
  /** The change as a reader would say it: "“dapat” → “wajib”". */
  readonly text: string
  readonly author: string
  readonly reason: string
}

export const REASONS = {
  outsidePasal: 'Perubahan di luar Pasal (judul, konsiderans, dasar hukum, judul BAB, atau penutup) belum dapat dijadikan usulan.',
  heading: 'Nomor dan judul Pasal diturunkan otomatis; perubahan pada judul Pasal tidak dijadikan usulan.',
  label: 'Nomor ayat dan huruf diturunkan otomatis; perubahan nomor tidak dijadikan usulan.',
  newParagraph: 'Paragraf baru dari Word belum dapat dipetakan; usulkan ayat atau Pasal baru langsung di Rancang.',
  pasalNotFound: 'Pasal ini tidak ditemukan di naskah terkini.',
  textChanged: 'Teks paragraf ini di Word tidak sama dengan teks di naskah terkini; mungkin sudah diubah sejak diekspor.',
  reference: 'Perubahan mengenai rujukan otomatis (mis. "Pasal 6"); ubah rujukan langsung di Rancang.',
  duplicate: 'Usulan yang sama sudah ada.',
} as const

/**
 * Most tracked changes one file may carry: a thorough harmonisasi of a long Pergub makes a few
 * hundred; each becomes a stored suggestion pushed to everyone, so a file of thousands is refused.
 */
export const MAX_WORD_CHANGES = 1000

const normalised = (text: string) => withoutUnprintable(text).replace(/\s+/g, ' ').trim()
const isWordChar = (char: string | undefined) => char !== undefined && /[\p{L}\p{N}]/u.test(char)
const quoted = (text: string) => `“${text}”`

/** A change as a reader would say it. */
export function describeChange(removed: string, inserted: string): string {
  if (!removed) return `sisipan ${quoted(inserted)}`
  if (!inserted) return `hapus ${quoted(removed)}`
  return `${quoted(removed)} → ${quoted(inserted)}`
}

interface Placed extends WordSegment {
  /** Offsets of the segment in the before and after texts. */
  readonly before: number
  readonly after: number
}

function withOffsets(segments: readonly WordSegment[]): Placed[] {
  let before = 0
  let after = 0
  return segments.map((segment) => {
    const placed = { ...segment, before, after }
    if (segment.change?.kind !== 'ins') before += segment.text.length
    if (segment.change?.kind !== 'del') after += segment.text.length
    return placed
  })
}

/**
 * The changes of a paragraph, each widened to whole words: changed segments joined by unchanged
 * text inside one word are one change. Ranges are offsets into the before text.
 */
export function changesOf(paragraph: WordParagraph): Array<{ start: number; end: number; insert: string; author: string; date: string }> {
  const before = beforeText(paragraph)
  const after = afterText(paragraph)
  const segments = withOffsets(paragraph.segments)
  const changes: Array<{ start: number; end: number; insert: string; author: string; date: string }> = []
  let i = 0
  while (i < segments.length) {
    const first = segments[i]!
    if (!first.change) {
      i++
      continue
    }
    let last = i
    // Join the next change when only a piece of one word lies between.
    for (let j = i + 1; j < segments.length; j++) {
      const segment = segments[j]!
      if (segment.change) last = j
      else if (/[^\p{L}\p{N}]/u.test(segment.text)) break
    }
    const lastSegment = segments[last]!
    let start = first.before
    let afterStart = first.after
    let end = lastSegment.change!.kind === 'ins' ? lastSegment.before : lastSegment.before + lastSegment.text.length
    let afterEnd = lastSegment.change!.kind === 'del' ? lastSegment.after : lastSegment.after + lastSegment.text.length
    // A boundary inside a word, before or after the change, moves out to the word's edge.
    const splits = (text: string, at: number) => isWordChar(text[at - 1]) && isWordChar(text[at])
    while (start > 0 && (splits(before, start) || splits(after, afterStart))) {
      start--
      afterStart--
    }
    while (end < before.length && (splits(before, end) || splits(after, afterEnd))) {
      end++
      afterEnd++
    }
    // A suggestion's wording is one line: a tab or line break typed in Word is a space.
    const insert = after
      .slice(afterStart, afterEnd)
      .replace(/[\t\n]+/g, ' ')
      .normalize('NFC')
    // Deleted and typed again the same: no change of wording.
    if (insert !== before.slice(start, end)) changes.push({ start, end, insert, author: first.change.author, date: first.change.date })
    i = last + 1
  }
  return changes
}

const firstChange = (paragraph: WordParagraph) => paragraph.segments.find((s) => s.change)?.change

/** A Pasal as the Word file shows it: its heading ("Pasal 7") and the paragraphs under it. */
interface PasalParagraphs {
  readonly label: string
  readonly heading: WordParagraph
  readonly body: WordParagraph[]
}

/** The proposals of a Word draft's paragraphs, and the changes that sit where no suggestion can go. */
export function proposalsOf(paragraphs: readonly WordParagraph[]): { proposals: Proposal[]; unplaced: UnplacedChange[] } {
  const proposals: Proposal[] = []
  const unplaced: UnplacedChange[] = []
  const refuse = (pasal: string, paragraph: WordParagraph, reason: string) => {
    for (const change of changesOf(paragraph)) {
      const before = beforeText(paragraph)
      unplaced.push({ pasal, text: describeChange(before.slice(change.start, change.end), change.insert), author: change.author, reason })
    }
  }
  let inBody = false
  let pasal: PasalParagraphs | null = null
  const groups: PasalParagraphs[] = []
  for (const paragraph of paragraphs) {
    const line = normalised(beforeText(paragraph))
    const changed = paragraph.segments.some((s) => s.change)
    if (line && BAB.test(line)) inBody = true
    if (line && PENUTUP.test(line)) inBody = false
    if (!inBody || (line && (BAB.test(line) || BAGIAN.test(line) || PARAGRAF.test(line)))) {
      pasal = null
      if (changed) refuse('', paragraph, REASONS.outsidePasal)
      continue
    }
    if (line && PASAL.test(line)) {
      pasal = { label: line, heading: paragraph, body: [] }
      groups.push(pasal)
    } else if (pasal) pasal.body.push(paragraph)
    else if (changed) refuse('', paragraph, REASONS.outsidePasal)
  }
  for (const group of groups) {
    const body = group.body.filter((p) => beforeText(p).trim())
    const headingGone = !normalised(afterText(group.heading))
    const deletion = firstChange(group.heading)
    if (headingGone && deletion && body.every((p) => !normalised(afterText(p)))) {
      proposals.push({
        kind: 'deletePasal',
        pasal: group.label,
        texts: body.map((p) => unitText(p).text),
        author: deletion.author,
        date: deletion.date,
      })
      continue
    }
    if (deletion) refuse(group.label, group.heading, REASONS.heading)
    for (const paragraph of group.body) {
      if (!paragraph.segments.some((s) => s.change)) continue
      if (!beforeText(paragraph).trim()) {
        const change = firstChange(paragraph)!
        unplaced.push({
          pasal: group.label,
          text: describeChange('', normalised(afterText(paragraph))),
          author: change.author,
          reason: REASONS.newParagraph,
        })
        continue
      }
      const { label, offset, text } = unitText(paragraph)
      const full = beforeText(paragraph)
      for (const change of changesOf(paragraph)) {
        if (change.start < offset) {
          unplaced.push({
            pasal: group.label,
            text: describeChange(full.slice(change.start, change.end), change.insert),
            author: change.author,
            reason: REASONS.label,
          })
          continue
        }
        proposals.push({ kind: 'text', pasal: group.label, label, before: text, ...change, start: change.start - offset, end: change.end - offset })
      }
    }
  }
  if (proposals.length + unplaced.length > MAX_WORD_CHANGES) {
    throw new Refusal('unreadable', `Berkas memuat lebih dari ${MAX_WORD_CHANGES} perubahan terlacak; bagi menjadi beberapa berkas.`)
  }
  return { proposals, unplaced }
}

/** A paragraph's unit label, where its own text begins, and that text (as exported, before the changes). */
function unitText(paragraph: WordParagraph): { label: string; offset: number; text: string } {
  const full = beforeText(paragraph)
  const lead = leadingLabel(full)
  return lead ? { ...lead, text: full.slice(lead.offset) } : { label: '', offset: 0, text: full }
}

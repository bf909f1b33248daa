import { Node } from 'prosemirror-model'
import { schema } from '../../shared/model/schema.js'
import { isRelativePosition } from '../../shared/anchors.js'
import { MAX_NOTE_LENGTH, MAX_SUGGESTION_LENGTH, type SuggestionKind } from '../../shared/suggestions.js'
import type { RangeAnchor } from '../../shared/comments.js'
import { Refusal } from '../refusal.js'
import { hasUnprintable } from '../text.js'

/** Units a `blocks` suggestion may propose, each a whole unit. */
const BLOCK_TYPES: ReadonlySet<string> = new Set(['pasal', 'ayat', 'rincian', 'butir'])
/** Most units proposed at once, and most bytes of their JSON. */
const MAX_BLOCKS = 50
const MAX_BLOCKS_JSON = 200_000
const PASAL_ID = /^[0-9a-z]{1,64}$/
/** Inline marks a proposal may carry; comparison marks never. */
const TEXT_MARKS: ReadonlySet<string> = new Set(['em', 'strong'])

/** A proposal as the request describes it, before it is placed in the document. */
export interface Draft {
  readonly kind: SuggestionKind
  readonly pasalId: string
  /** Absent for `deletePasal`: the server places it at the Pasal's start. */
  readonly range?: RangeAnchor
  readonly insert: string
  readonly blocks?: readonly unknown[]
  readonly note?: string
}

export function cleanKind(kind: unknown): SuggestionKind {
  if (kind === undefined || kind === null) return 'text'
  if (kind === 'text' || kind === 'blocks' || kind === 'deletePasal') return kind
  throw new Refusal('invalid', 'Jenis usulan harus text, blocks, atau deletePasal.')
}

export function cleanPasalId(value: unknown): string {
  if (typeof value !== 'string' || !PASAL_ID.test(value)) throw new Refusal('invalid', 'Usulan harus menunjuk sebuah pasal.')
  return value
}

export function cleanRange(value: unknown): RangeAnchor {
  const range = value as { from?: unknown; to?: unknown; quote?: unknown } | null | undefined
  if (typeof range !== 'object' || range === null) throw new Refusal('invalid', 'Usulan harus menunjuk bagian teks yang diubah.')
  const { from, to, quote } = range
  if (!isRelativePosition(from) || !isRelativePosition(to) || typeof quote !== 'string' || quote.length > MAX_SUGGESTION_LENGTH) {
    throw new Refusal('invalid', `Bagian teks yang diusulkan untuk diubah tidak sah (paling panjang ${MAX_SUGGESTION_LENGTH} karakter).`)
  }
  return { from, to, quote }
}

/** Proposed wording: one line of plain text (a new ayat or Pasal is proposed as `blocks`). */
export function cleanInsert(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') throw new Refusal('invalid', 'Teks usulan harus berupa teks.')
  if (value.length > MAX_SUGGESTION_LENGTH) throw new Refusal('invalid', `Teks usulan paling panjang ${MAX_SUGGESTION_LENGTH} karakter.`)
  if (/[\r\n\t]/.test(value))
    throw new Refusal('invalid', 'Teks usulan tidak boleh memuat baris baru; usulkan ayat atau pasal baru sebagai unsur baru.')
  if (hasUnprintable(value)) throw new Refusal('invalid', 'Teks usulan memuat karakter yang tidak diizinkan.')
  return value.normalize('NFC')
}

/** The reason ("alasan"): optional plain text; empty removes it. */
export function cleanNote(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw new Refusal('invalid', 'Alasan usulan harus berupa teks.')
  const clean = value.replace(/\r\n?/g, '\n').trim()
  if (clean.length > MAX_NOTE_LENGTH) throw new Refusal('invalid', `Alasan usulan paling panjang ${MAX_NOTE_LENGTH} karakter.`)
  if (hasUnprintable(clean)) throw new Refusal('invalid', 'Alasan usulan memuat karakter yang tidak diizinkan.')
  return clean || undefined
}

/** Checks one proposed node and everything in it; returns how many characters of text it holds. */
function checkNode(node: Node): number {
  let length = 0
  node.descendants((child) => {
    if (child.attrs.ychange) throw new Refusal('invalid', 'Unsur yang diusulkan memuat tanda perbandingan.')
    if (child.marks.some((mark) => !TEXT_MARKS.has(mark.type.name)))
      throw new Refusal('invalid', 'Unsur yang diusulkan memuat format yang tidak dikenal.')
    if (child.type.name === 'rujukan' && !(child.attrs.targets as unknown[]).every((t) => typeof t === 'string' && PASAL_ID.test(t)))
      throw new Refusal('invalid', 'Rujukan dalam unsur yang diusulkan tidak sah.')
    if (child.isText) {
      if (/[\r\n]/.test(child.text!) || hasUnprintable(child.text!)) throw new Refusal('invalid', 'Teks usulan memuat karakter yang tidak diizinkan.')
      length += child.text!.length
    }
    return true
  })
  return length
}

/**
 * Proposed units as ProseMirror JSON: whole Pasal, ayat, rincian or butir, valid under the schema.
 * Their ids are dropped (the units get fresh ones when accepted), so the stored form is canonical.
 */
export function cleanBlocks(value: unknown): unknown[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_BLOCKS || JSON.stringify(value).length > MAX_BLOCKS_JSON) {
    throw new Refusal('invalid', `Usulan unsur baru harus memuat 1 sampai ${MAX_BLOCKS} unsur.`)
  }
  let length = 0
  const nodes = value.map((json: unknown) => {
    let node: Node
    try {
      node = Node.fromJSON(schema, json)
      node.check()
    } catch {
      throw new Refusal('invalid', 'Unsur yang diusulkan tidak sesuai susunan peraturan.')
    }
    if (!BLOCK_TYPES.has(node.type.name)) throw new Refusal('invalid', 'Yang dapat diusulkan sebagai unsur baru: pasal, ayat, rincian, atau butir.')
    if (node.attrs.ychange) throw new Refusal('invalid', 'Unsur yang diusulkan memuat tanda perbandingan.')
    length += checkNode(node)
    return node
  })
  if (length > MAX_SUGGESTION_LENGTH) throw new Refusal('invalid', `Teks usulan paling panjang ${MAX_SUGGESTION_LENGTH} karakter.`)
  return nodes.map((node) => withoutIds(node.toJSON() as Record<string, unknown>))
}

function withoutIds(json: Record<string, unknown>): Record<string, unknown> {
  const attrs = json.attrs as Record<string, unknown> | undefined
  const content = json.content as Array<Record<string, unknown>> | undefined
  return {
    ...json,
    ...(attrs && 'id' in attrs ? { attrs: { ...attrs, id: null } } : {}),
    ...(content ? { content: content.map(withoutIds) } : {}),
  }
}

/** The body of `POST /api/docs/:id/suggestions` (NewSuggestion), checked for form only. */
export function cleanDraft(body: Record<string, unknown>): Draft {
  const kind = cleanKind(body.kind)
  const anchor = body.anchor as { pasalId?: unknown; range?: unknown } | null | undefined
  if (typeof anchor !== 'object' || anchor === null) throw new Refusal('invalid', 'Usulan harus menunjuk sebuah pasal.')
  const pasalId = cleanPasalId(anchor.pasalId)
  const note = cleanNote(body.note)
  const base = { kind, pasalId, ...(note ? { note } : {}) }
  if (kind === 'deletePasal') return { ...base, insert: '' }
  const range = cleanRange(anchor.range)
  if (kind === 'blocks') {
    if (range.quote !== '') throw new Refusal('invalid', 'Unsur baru disisipkan pada satu titik: bagian teks yang dipilih harus kosong.')
    return { ...base, range, insert: '', blocks: cleanBlocks(body.blocks) }
  }
  const insert = cleanInsert(body.insert)
  if (insert === range.quote) throw new Refusal('invalid', 'Usulan ini tidak mengubah apa pun.')
  return { ...base, range, insert }
}

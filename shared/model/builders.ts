import type { Node } from 'prosemirror-model'
import { schema } from './schema.js'
import { createId } from './ids.js'

/**
 * Terse constructors for regulation documents, used by the seed draft, new-document templates and
 * tests. Every unit gets a fresh id.
 */

const t = (text: string) => (text ? [schema.text(text)] : [])
export const teks = (text: string) => schema.node('teks', null, t(text))
/** A unit (bab, pasal, ayat, butir, …) with a fresh id. */
export const unit = (type: string, children: Node[]) => schema.node(type, { id: createId() }, children)

/** A rincian item: its text, optionally followed by a nested rincian. */
export type ButirSpec = string | readonly [string, RincianSpec]
export interface RincianSpec {
  readonly jenis?: 'huruf' | 'angka'
  readonly items: readonly ButirSpec[]
}

export function rincian(spec: RincianSpec): Node {
  const items = spec.items.map((item) => (typeof item === 'string' ? unit('butir', [teks(item)]) : unit('butir', [teks(item[0]), rincian(item[1])])))
  return schema.node('rincian', { jenis: spec.jenis ?? 'huruf' }, items)
}

/** An ayat: its opening text, optionally a rincian, optionally closing text after the rincian. */
export function ayat(text: string, list?: RincianSpec, closing?: string): Node {
  const children = [teks(text)]
  if (list) children.push(rincian(list))
  if (closing) children.push(teks(closing))
  return unit('ayat', children)
}

/** A Pasal; plain strings become single-sentence ayat. */
export function pasal(...ayats: ReadonlyArray<Node | string>): Node {
  return unit(
    'pasal',
    ayats.map((a) => (typeof a === 'string' ? ayat(a) : a)),
  )
}

export function paragraf(title: string, ...pasals: Node[]): Node {
  return unit('paragraf', [schema.node('paragrafJudul', null, t(title)), ...pasals])
}

export function bagian(title: string, ...children: Node[]): Node {
  return unit('bagian', [schema.node('bagianJudul', null, t(title)), ...children])
}

export function bab(title: string, ...children: Node[]): Node {
  return unit('bab', [schema.node('babJudul', null, t(title)), ...children])
}

/** What a Penjelasan entry says of a Pasal that needs no explanation (pergub.md §1.7). */
export const CUKUP_JELAS = 'Cukup jelas.'

/** One Penjelasan Pasal demi Pasal entry, bound to the Pasal with id `pasalId`: its paragraphs, by default "Cukup jelas.". */
export const penjelasanPasal = (pasalId: string, ...paragraphs: string[]) =>
  schema.node('penjelasanPasal', { pasal: pasalId }, (paragraphs.length ? paragraphs : [CUKUP_JELAS]).map(teks))

/** A Penjelasan: its Penjelasan Umum paragraphs and its Pasal demi Pasal entries. */
export function penjelasan(umum: readonly string[], entries: readonly Node[]): Node {
  return schema.node('penjelasan', null, [schema.node('penjelasanUmum', null, (umum.length ? umum : ['']).map(teks)), ...entries])
}

/** The ids of the Pasal of `doc`, in document order. */
export function pasalIds(doc: Node): string[] {
  const ids: string[] = []
  doc.descendants((node) => {
    if (node.type.name === 'pasal' && typeof node.attrs.id === 'string') ids.push(node.attrs.id)
    return node.type.name !== 'pasal' && !node.isTextblock
  })
  return ids
}

/** A table of plain-text cells; the first row is the header when `header` is set. */
export function table(rows: ReadonlyArray<readonly string[]>, header = true): Node {
  return schema.node(
    'table',
    null,
    rows.map((cells, index) =>
      schema.node(
        'table_row',
        null,
        cells.map((cell) => schema.node(header && index === 0 ? 'table_header' : 'table_cell', null, [teks(cell)])),
      ),
    ),
  )
}

/** A Lampiran: its subject, then its parts (strings become paragraphs). */
export function lampiran(judul: string, ...parts: ReadonlyArray<Node | string>): Node {
  return unit('lampiran', [schema.node('lampiranJudul', null, t(judul)), ...parts.map((part) => (typeof part === 'string' ? teks(part) : part))])
}

export interface RegulationSpec {
  /** The name after TENTANG, in capitals. */
  readonly nama: string
  readonly menimbang: readonly string[]
  readonly mengingat: readonly string[]
  readonly batangTubuh: readonly Node[]
  /** Paragraphs of the penutup after the order to promulgate (which is drawn from the metadata), if any. */
  readonly penutup?: readonly string[]
  /** The Penjelasan (penjelasan()), if any. */
  readonly penjelasan?: Node
  readonly lampiran?: readonly Node[]
}

/** A regulation; its kind, region, officials and closing formulas come from its metadata (wording.ts). */
export function regulation(spec: RegulationSpec): Node {
  return schema.node('doc', null, [
    schema.node('judul', null, [schema.node('judulNama', null, t(spec.nama))]),
    schema.node('pembukaan', null, [
      schema.node(
        'menimbang',
        null,
        spec.menimbang.map((m) => schema.node('konsiderans', null, t(m))),
      ),
      schema.node(
        'mengingat',
        null,
        spec.mengingat.map((m) => schema.node('dasarHukum', null, t(m))),
      ),
    ]),
    schema.node('batangTubuh', null, [...spec.batangTubuh]),
    schema.node('penutup', null, [...(spec.penutup ?? []).map(teks), schema.node('penandatanganan')]),
    ...(spec.penjelasan ? [spec.penjelasan] : []),
    ...(spec.lampiran ?? []),
  ])
}

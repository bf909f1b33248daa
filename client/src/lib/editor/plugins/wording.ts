import { Plugin, type EditorState, type Transaction } from 'prosemirror-state'
import { Decoration, DecorationSet } from 'prosemirror-view'
import type { Node } from 'prosemirror-model'
import type { DraftMeta } from '../../../../../shared/documents.js'
import { wordingOf, type SignatureBlock, type Wording } from '../../../../../shared/model/wording.js'
import { wordingKey } from './keys.js'

export interface WordingState {
  readonly meta: DraftMeta
  readonly decorations: DecorationSet
}

/** A block of fixed lines, drawn and never editable (as the schema's `fixed` parts are). */
function lines(cls: string, texts: readonly string[]): HTMLElement {
  const block = document.createElement('div')
  block.className = `turunan ${cls}`
  block.contentEditable = 'false'
  for (const text of texts) {
    const line = document.createElement('p')
    line.textContent = text
    block.append(line)
  }
  return block
}

function signature(wording: Wording): HTMLElement {
  const block = document.createElement('div')
  block.className = 'turunan penutup-ttd'
  block.contentEditable = 'false'
  const side = (b: SignatureBlock, cls: string) => {
    const part = lines(`ttd ${cls}`, [b.tempat, b.tanggal, b.jabatan, 'ttd.', b.nama])
    part.children[3]!.className = 'ttd-ruang'
    return part
  }
  block.append(side(wording.penetapan, 'ttd-kanan'), side(wording.pengundangan, 'ttd-kiri'))
  block.append(lines('berita', wording.noreg ? [wording.berita, wording.noreg] : [wording.berita]))
  return block
}

/**
 * The parts of the regulation that follow from the draft's metadata (shared/model/wording.ts), as
 * widgets around the typed text: the judul lines above the name, the jabatan, a Perda's Dengan
 * Persetujuan Bersama, MEMUTUSKAN / Menetapkan, the order to promulgate and the signature blocks.
 * Rebuilt when the metadata changes (`setDraftMeta`) and when the judul's name is edited.
 */
function build(doc: Node, meta: DraftMeta): DecorationSet {
  const [judul, pembukaan, , penutup] = [doc.child(0), doc.child(1), doc.child(2), doc.child(3)]
  const wording = wordingOf(meta, judul.lastChild?.textContent ?? '')
  // The key names the words, so a widget is drawn (lazily) only when they change, not on every keystroke.
  const widget = (pos: number, side: number, dom: () => HTMLElement, name: string, words: unknown) =>
    Decoration.widget(pos, dom, { side, key: `${name}:${JSON.stringify(words)}`, ignoreSelection: true })
  const judulLines = [...(wording.rancangan ? ['RANCANGAN'] : []), wording.judulJenis, wording.judulNomor, 'TENTANG']
  const pembukaanPos = judul.nodeSize
  const penutupPos = doc.content.size - penutup.nodeSize
  const closing = [...(wording.persetujuan ?? []), 'MEMUTUSKAN:']
  const decorations = [
    widget(1, -1, () => lines('judul-atas', judulLines), 'judul', judulLines),
    widget(pembukaanPos + 1, -1, () => lines('jabatan', [wording.jabatan]), 'jabatan', wording.jabatan),
    widget(pembukaanPos + pembukaan.nodeSize - 1, 1, () => menetapkan(closing, wording.menetapkan), 'menetapkan', [closing, wording.menetapkan]),
  ]
  let signed = -1
  penutup.forEach((child, offset) => {
    if (child.type.name === 'penandatanganan') signed = penutupPos + 1 + offset
  })
  if (signed >= 0) {
    decorations.push(
      widget(penutupPos + 1, -1, () => lines('perintah', [wording.perintahPengundangan]), 'perintah', wording.perintahPengundangan),
      widget(signed, -1, () => signature(wording), 'ttd', [wording.penetapan, wording.pengundangan, wording.berita, wording.noreg]),
    )
  }
  return DecorationSet.create(doc, decorations)
}

/** "Dengan Persetujuan Bersama …" (a Perda), "MEMUTUSKAN:", then "Menetapkan : …" laid out like Menimbang. */
function menetapkan(centred: readonly string[], text: string): HTMLElement {
  const block = lines('diktum', centred)
  const row = document.createElement('div')
  row.className = 'menetapkan'
  const label = document.createElement('div')
  label.className = 'label-kiri'
  label.textContent = 'Menetapkan'
  const body = document.createElement('p')
  body.textContent = text
  row.append(label, body)
  block.append(row)
  return block
}

/** Draws what follows from `meta` around the typed text; `setDraftMeta` changes it live. */
export function wordingPlugin(meta: DraftMeta): Plugin<WordingState> {
  return new Plugin<WordingState>({
    key: wordingKey,
    state: {
      init: (_, state) => ({ meta, decorations: build(state.doc, meta) }),
      apply: (tr, previous) => {
        const next = (tr.getMeta(wordingKey) as DraftMeta | undefined) ?? previous.meta
        return next !== previous.meta || tr.docChanged ? { meta: next, decorations: build(tr.doc, next) } : previous
      },
    },
    props: {
      decorations: (state) => wordingKey.getState(state)?.decorations,
    },
  })
}

/** The transaction that draws the draft with new metadata. */
export const setDraftMeta = (state: EditorState, meta: DraftMeta): Transaction => state.tr.setMeta(wordingKey, meta).setMeta('addToHistory', false)

import { Plugin } from 'prosemirror-state'
import { Decoration, DecorationSet } from 'prosemirror-view'
import type { Node } from 'prosemirror-model'
import { placeholderKey } from './keys.js'

/** What an empty block asks for, by node type. */
const HINTS: Record<string, string> = {
  judulNama: 'NAMA PERATURAN',
  konsiderans: 'bahwa …;',
  dasarHukum: 'Peraturan yang menjadi dasar hukum …;',
  babJudul: 'JUDUL BAB',
  bagianJudul: 'Judul Bagian',
  paragrafJudul: 'Judul Paragraf',
  teks: 'Tulis isi …',
}

function build(doc: Node): DecorationSet {
  const decorations: Decoration[] = []
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true
    const hint = HINTS[node.type.name]
    if (hint && node.content.size === 0) decorations.push(Decoration.node(pos, pos + node.nodeSize, { class: 'kosong', 'data-placeholder': hint }))
    return false
  })
  return DecorationSet.create(doc, decorations)
}

/** Shows a grey hint in empty text blocks so a new BAB, Pasal or ayat says what belongs there. */
export function placeholderPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: placeholderKey,
    state: {
      init: (_, state) => build(state.doc),
      apply: (tr, previous) => (tr.docChanged ? build(tr.doc) : previous),
    },
    props: {
      decorations: (state) => placeholderKey.getState(state),
    },
  })
}

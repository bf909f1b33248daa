import { describe, expect, it } from 'vitest'
import { schema } from '../../../../shared/model/schema.js'
import { textLines, type PastedLine } from './clipboardLines.js'
import { readPastedUnits } from './pastedUnits.js'

const shape = (nodes: readonly { toString(): string }[]) => nodes.map(String)

describe('pasted text read as regulation units', () => {
  it('"(1)", "(2)" become ayat and "a.", "b." rincian items of the ayat before them', () => {
    const units = readPastedUnits(textLines('(1) Dinas menyusun:\na. rencana;\nb. anggaran.\n(2) Rencana ditetapkan.'))
    expect(shape(units.lead)).toEqual([
      'ayat(teks("Dinas menyusun:"), rincian(butir(teks("rencana;")), butir(teks("anggaran."))))',
      'ayat(teks("Rencana ditetapkan."))',
    ])
    expect(units.pasal).toEqual([])
  })

  it('"Pasal 99" starts a new Pasal with the ayat that follow it; the text before it continues the ayat at the cursor', () => {
    const units = readPastedUnits(textLines('akhir kalimat.\nPasal 99\n(1) Ayat satu.\n(2) Ayat dua.\nPasal 100\nSatu ayat saja.'))
    expect(shape(units.lead)).toEqual(['ayat(teks("akhir kalimat."))'])
    expect(shape(units.pasal)).toEqual(['pasal(ayat(teks("Ayat satu.")), ayat(teks("Ayat dua.")))', 'pasal(ayat(teks("Satu ayat saja.")))'])
    for (const node of [...units.lead, ...units.pasal]) node.check()
    expect(units.pasal.every((node) => typeof node.attrs.id === 'string')).toBe(true)
  })

  it('keeps the italics of a line after its label, and nothing else of its formatting', () => {
    const em = schema.marks.em!.create()
    const line: PastedLine = { text: 'a. istilah asing', inline: [schema.text('a. istilah '), schema.text('asing', [em])] }
    const [ayat] = readPastedUnits([line]).lead
    const item = ayat!.firstChild!.firstChild!.firstChild!
    expect(item.textContent).toBe('istilah asing')
    expect(item.lastChild!.marks.map((mark) => mark.type.name)).toEqual(['em'])
  })
})

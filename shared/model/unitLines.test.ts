import { describe, expect, it } from 'vitest'
import { PasalBody, readUnitLine, type UnexpectedMarker } from './unitLines.js'

describe('the shared recogniser of regulation lines', () => {
  it('tells headings, Pasal, ayat, rincian items and text apart', () => {
    expect(readUnitLine('BAB II')).toEqual({ kind: 'bab', heading: 'BAB II', title: null })
    expect(readUnitLine('BAB II KETENTUAN UMUM')).toEqual({ kind: 'bab', heading: 'BAB II', title: 'KETENTUAN UMUM' })
    expect(readUnitLine('Bagian Kedua')).toEqual({ kind: 'bagian', heading: 'Bagian Kedua' })
    expect(readUnitLine('Paragraf 3')).toEqual({ kind: 'paragraf', heading: 'Paragraf 3' })
    expect(readUnitLine('Pasal 99')).toEqual({ kind: 'pasal', number: 99 })
    expect(readUnitLine('Pasal 12A')).toEqual({ kind: 'pasal', number: 12 })
    expect(readUnitLine('(2) Dinas menyusun rencana.')).toEqual({ kind: 'ayat', number: 2, text: 'Dinas menyusun rencana.' })
    expect(readUnitLine('b. data induk;')).toEqual({ kind: 'butir', style: 'huruf.', marker: 'b.', text: 'data induk;' })
    expect(readUnitLine('1) pertama')).toEqual({ kind: 'butir', style: 'angka)', marker: '1)', text: 'pertama' })
    expect(readUnitLine('Pasal 5 mengatur hal lain.')).toEqual({ kind: 'text', text: 'Pasal 5 mengatur hal lain.' })
  })

  it('nests a new marker style under the item before it, and closes levels when an earlier style comes back', () => {
    const body = new PasalBody()
    body.addText('Unsur terdiri atas:')
    for (const line of ['a. satu;', '1. sub satu;', '2. sub dua;', 'b. dua.']) {
      const read = readUnitLine(line)
      if (read.kind !== 'butir') throw new Error(line)
      body.addButir(read)
    }
    const [ayat] = body.ayatNodes()
    expect(ayat!.toString()).toBe(
      'ayat(teks("Unsur terdiri atas:"), rincian(butir(teks("satu;"), rincian(butir(teks("sub satu;")), butir(teks("sub dua;")))), butir(teks("dua."))))',
    )
  })

  it('reports a level opened with another marker than Lampiran II gives it', () => {
    const body = new PasalBody()
    const heard: UnexpectedMarker[] = []
    for (const line of ['a. satu', 'a) sub']) {
      const read = readUnitLine(line)
      if (read.kind === 'butir') body.addButir(read, (found) => heard.push(found))
    }
    expect(heard).toEqual([{ marker: 'a)', expected: '1.', under: 'a.' }])
  })
})

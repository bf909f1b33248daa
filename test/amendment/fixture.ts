import { readFileSync } from 'node:fs'
import type { Node } from 'prosemirror-model'
import { schema } from '../../shared/model/schema.js'
import { regulation } from '../../shared/model/builders.js'

/**
 * Reads a regulation written as plain text, as it is printed (test/fixtures/amendments/README.md):
 * "BAB I" and its title on the next line, "Bagian Kesatu" / "Paragraf 1" likewise, "Pasal 5",
 * "(1) …" for an ayat, "a. …" / "1. …" for a rincian item, "LAMPIRAN I" and its subject, other
 * lines as text. "Pasal 2 sampai dengan Pasal 27 tidak diubah." stands for Pasal the case leaves
 * out. Each unit's id is made from its printed number (Pasal 8A → "p8A"), as an amendment draft's
 * copy shares its base's ids; `numbers` gives each id's printed number to check the numbering by.
 */

export interface FixtureText {
  readonly doc: Node
  /** The printed number of each unit, by id: "8A", "2a", "c1", "VA", "Kedua". */
  readonly numbers: ReadonlyMap<string, string>
}

interface Builder {
  type: string
  id: string | null
  attrs?: Record<string, unknown>
  children: Array<Builder | Node>
}

const idOf = (...parts: string[]) => parts.join('-').replace(/[^A-Za-z0-9_-]/g, '')
const teks = (text: string) => schema.node('teks', null, text ? [schema.text(text)] : [])
const isBuilder = (c: Builder | Node): c is Builder => typeof c.type === 'string'
const build = (b: Builder): Node =>
  schema.node(
    b.type,
    { ...(b.id !== null ? { id: b.id } : {}), ...b.attrs },
    b.children.map((c) => (isBuilder(c) ? build(c) : c)),
  )

export function readFixture(path: URL): FixtureText {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
  const numbers = new Map<string, string>()
  const babs: Builder[] = []
  const lampiran: Builder[] = []
  let bab: Builder | null = null
  let bagian: Builder | null = null
  let paragraf: Builder | null = null
  let pasal: Builder | null = null
  let pasalNumber = ''
  let ayat: Builder | null = null
  let list: Builder | null = null
  let annex: Builder | null = null
  const unit = (type: string, number: string, id: string, children: Builder['children'] = []): Builder => {
    numbers.set(id, number)
    return { type, id, children }
  }
  const newAyat = (number: string) => {
    ayat = unit('ayat', number, idOf('p', pasalNumber, number || '0'))
    list = null
    pasal!.children.push(ayat)
    return ayat
  }
  const newPasal = (number: string, text?: string) => {
    pasalNumber = number
    pasal = unit('pasal', number, idOf('p', number))
    ;(paragraf ?? bagian ?? bab)!.children.push(pasal)
    ayat = null
    list = null
    if (text) newAyat('').children.push(teks(text))
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    let m: RegExpMatchArray | null
    if ((m = line.match(/^BAB ([IVXLC]+[A-Z]?)$/))) {
      bab = unit('bab', m[1]!, idOf('bab', m[1]!), [schema.node('babJudul', null, [schema.text(lines[++i]!)])])
      babs.push(bab)
      bagian = paragraf = pasal = null
    } else if ((m = line.match(/^Bagian (Ke\w+(?: \w+)*)$/))) {
      bagian = unit('bagian', m[1]!, idOf('bagian', bab!.id!, m[1]!), [schema.node('bagianJudul', null, [schema.text(lines[++i]!)])])
      bab!.children.push(bagian)
      paragraf = pasal = null
    } else if ((m = line.match(/^Paragraf (\d+[A-Z]?)$/))) {
      paragraf = unit('paragraf', m[1]!, idOf('paragraf', bagian?.id ?? bab!.id!, m[1]!), [
        schema.node('paragrafJudul', null, [schema.text(lines[++i]!)]),
      ])
      ;(bagian ?? bab)!.children.push(paragraf)
      pasal = null
    } else if ((m = line.match(/^Pasal (\d+) sampai dengan Pasal (\d+) tidak diubah\.$/))) {
      for (let n = Number(m[1]); n <= Number(m[2]); n++) newPasal(String(n), `(Isi Pasal ${n} tidak diubah; tidak ditulis di sini.)`)
    } else if ((m = line.match(/^Pasal (\d+[A-Z]*)$/))) {
      newPasal(m[1]!)
    } else if ((m = line.match(/^LAMPIRAN ?([IVX]*[A-Z]?)$/))) {
      annex = unit('lampiran', m[1]!, idOf('lampiran', m[1]! || 'tunggal'), [schema.node('lampiranJudul', null, [schema.text(lines[++i]!)])])
      lampiran.push(annex)
      bab = pasal = null
    } else if (annex) {
      annex.children.push(teks(line))
    } else if ((m = line.match(/^\((\d+[a-z]?)\) (.*)$/))) {
      newAyat(m[1]!).children.push(teks(m[2]!))
    } else if ((m = line.match(/^([a-z]|\d+)([0-9]?|[a-z]?)\. (.*)$/)) && pasal) {
      const marker = `${m[1]}${m[2]}`
      const target: Builder = ayat ?? newAyat('')
      if (!list) {
        list = { type: 'rincian', id: null, attrs: { jenis: /^\d/.test(marker) ? 'angka' : 'huruf' }, children: [] }
        target.children.push(list)
      }
      list.children.push(unit('butir', marker, idOf(target.id!, marker), [teks(m[3]!)]))
    } else if (pasal) {
      ;(ayat && !list ? ayat : newAyatOrClosing()).children.push(teks(line))
    } else throw new Error(`readFixture: cannot place line ${i + 1}: ${line}`)
  }
  function newAyatOrClosing(): Builder {
    // Text after a list closes the ayat the list is in.
    if (ayat && list) {
      list = null
      return ayat
    }
    return newAyat('')
  }
  const doc = regulation({
    nama: 'NASKAH UJI',
    menimbang: ['bahwa …;'],
    mengingat: ['…;'],
    batangTubuh: babs.map(build),
    lampiran: lampiran.map(build),
  })
  return { doc, numbers }
}

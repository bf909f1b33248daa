import type { Node } from 'prosemirror-model'
import { bab, pasal, regulation, teks } from '../../shared/model/builders.js'
import { schema } from '../../shared/model/schema.js'

const ORDER =
  'Agar setiap orang mengetahuinya, memerintahkan pengundangan Peraturan Bupati ini dengan penempatannya dalam Berita Daerah Kabupaten Paser.'

/** A draft as stored before the metadata: kind, jabatan, Menetapkan and the order typed as text. */
export function legacyDraft(): Node {
  const current = regulation({
    nama: 'UJI',
    menimbang: ['bahwa a;'],
    mengingat: ['UUD;'],
    batangTubuh: [bab('SATU', pasal('Isi.'))],
    penutup: ['Catatan.'],
  })
  const line = (type: string, text: string) => schema.node(type, null, schema.text(text))
  const [judul, pembukaan, batangTubuh, penutup] = [current.child(0), current.child(1), current.child(2), current.child(3)]
  return schema.node('doc', null, [
    judul.copy(judul.content.addToStart(line('judulJenis', 'PERATURAN BUPATI PASER'))),
    pembukaan.copy(pembukaan.content.addToStart(line('jabatan', 'BUPATI PASER,')).addToEnd(line('diktum', 'PERATURAN BUPATI TENTANG UJI.'))),
    batangTubuh,
    penutup.copy(penutup.content.addToStart(teks(ORDER))),
  ])
}

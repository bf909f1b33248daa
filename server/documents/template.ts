import type { Node } from 'prosemirror-model'
import { ayat, bab, pasal, regulation } from '../../shared/model/builders.js'

/**
 * The skeleton of a new Rancangan Peraturan Gubernur: the fixed parts of Lampiran II filled in,
 * the variable parts as short prompts the drafters replace.
 */
export function newDraft(nama: string): Node {
  const name = nama.toUpperCase()
  return regulation({
    jenis: 'PERATURAN GUBERNUR KALIMANTAN TIMUR',
    nama: name,
    jabatan: 'GUBERNUR KALIMANTAN TIMUR,',
    menimbang: [
      'bahwa …;',
      `bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan Peraturan Gubernur tentang ${titleCase(nama)};`,
    ],
    mengingat: [
      'Pasal 18 ayat (6) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;',
      'Undang-Undang Nomor 10 Tahun 2022 tentang Provinsi Kalimantan Timur (Lembaran Negara Republik Indonesia Tahun 2022 Nomor …, Tambahan Lembaran Negara Republik Indonesia Nomor …);',
      'Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah (…) sebagaimana telah diubah beberapa kali terakhir dengan … (…);',
    ],
    menetapkan: `PERATURAN GUBERNUR TENTANG ${name}.`,
    batangTubuh: [
      bab(
        'KETENTUAN UMUM',
        pasal(
          ayat('Dalam Peraturan Gubernur ini yang dimaksud dengan:', {
            jenis: 'angka',
            items: ['Daerah adalah Provinsi Kalimantan Timur.', 'Gubernur adalah Gubernur Kalimantan Timur.'],
          }),
        ),
      ),
      bab('KETENTUAN PENUTUP', pasal('Peraturan Gubernur ini mulai berlaku pada tanggal diundangkan.')),
    ],
    penutup: [
      'Agar setiap orang mengetahuinya, memerintahkan pengundangan Peraturan Gubernur ini dengan penempatannya dalam Berita Daerah Provinsi Kalimantan Timur.',
    ],
  })
}

const SMALL_WORDS = new Set(['dan', 'atau', 'di', 'ke', 'dari', 'yang', 'untuk', 'pada', 'dalam', 'serta', 'dengan', 'tentang'])

/** "PENGELOLAAN DATA DAN INFORMASI" → "Pengelolaan Data dan Informasi" (particles stay lower case). */
export function titleCase(text: string): string {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((word, i) => (i > 0 && SMALL_WORDS.has(word) ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ')
}

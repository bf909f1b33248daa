import { Fragment, type Node } from 'prosemirror-model'
import { ayat, bab, pasal, regulation } from '../../shared/model/builders.js'
import { schema } from '../../shared/model/schema.js'
import { kepalaDaerah, type AmendedRegulation, type DraftMeta } from '../../shared/documents.js'
import { amendmentMengingat, amendmentMenimbang, amendmentNama, jenisName, regionName } from '../../shared/model/wording.js'

/** The law that founded Kalimantan Timur, the sample's region, as cited; other regions' founding laws are left for the drafters. */
const FOUNDING_LAW: Readonly<Record<string, string>> = {
  'Provinsi Kalimantan Timur':
    'Undang-Undang Nomor 10 Tahun 2022 tentang Provinsi Kalimantan Timur (Lembaran Negara Republik Indonesia Tahun 2022 Nomor …, Tambahan Lembaran Negara Republik Indonesia Nomor …);',
}

/**
 * The skeleton of a new draft of the kind and region `meta` says: the fixed parts of Lampiran II
 * filled in, the variable parts as short prompts the drafters replace. The kind, region, officials
 * and closing formulas are not here: they are drawn from the metadata (wording.ts).
 */
export function newDraft(nama: string, meta: DraftMeta): Node {
  const jenis = jenisName(meta.jenis)
  const kepala = kepalaDaerah(meta.jenis)
  const foundingLaw =
    FOUNDING_LAW[regionName(meta)] ??
    `Undang-Undang Nomor … Tahun … tentang Pembentukan ${regionName(meta)} (Lembaran Negara Republik Indonesia Tahun … Nomor …, Tambahan Lembaran Negara Republik Indonesia Nomor …);`
  return regulation({
    nama: nama.toUpperCase(),
    menimbang: [
      'bahwa …;',
      `bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan ${jenis} tentang ${titleCase(nama)};`,
    ],
    mengingat: [
      'Pasal 18 ayat (6) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;',
      foundingLaw,
      'Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah (…) sebagaimana telah diubah beberapa kali terakhir dengan … (…);',
    ],
    batangTubuh: [
      bab(
        'KETENTUAN UMUM',
        pasal(
          ayat(`Dalam ${jenis} ini yang dimaksud dengan:`, {
            jenis: 'angka',
            items: [`Daerah adalah ${regionName(meta)}.`, `${kepala} adalah ${meta.pejabat}.`],
          }),
        ),
      ),
      bab('KETENTUAN PENUTUP', pasal(`${jenis} ini mulai berlaku pada tanggal diundangkan.`)),
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

/**
 * A new amendment draft: the base regulation's text as it stands, every unit with its id (so the
 * alignment pairs them by id), under the judul, Menimbang and added Mengingat entry of the
 * amendment, drafted from `amends`. The base's own Menimbang gives its reasons, not the amendment's.
 */
export function amendmentDraft(base: Node, meta: DraftMeta, amends: AmendedRegulation): Node {
  const text = (value: string) => [schema.text(value)]
  const judul = schema.node('judul', null, [schema.node('judulNama', null, text(amendmentNama(amends).toUpperCase()))])
  const menimbang = schema.node(
    'menimbang',
    null,
    amendmentMenimbang(meta, amends).map((point) => schema.node('konsiderans', null, text(point))),
  )
  const pembukaan = base.child(1)
  const parts: Node[] = []
  pembukaan.forEach((part) => {
    if (part.type.name === 'menimbang') parts.push(menimbang)
    else if (part.type.name === 'mengingat')
      parts.push(part.copy(part.content.addToEnd(schema.node('dasarHukum', null, text(amendmentMengingat(meta, amends))))))
    else parts.push(part)
  })
  return base.copy(base.content.replaceChild(0, judul).replaceChild(1, pembukaan.copy(Fragment.from(parts))))
}

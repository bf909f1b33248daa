import { Schema, type NodeSpec, type MarkSpec, type DOMOutputSpec, type Node } from 'prosemirror-model'
import { tableNodes } from 'prosemirror-tables'
import { hasUnprintable } from '../text.js'

/**
 * The ProseMirror schema of a Rancangan Peraturan Gubernur (UU 12/2011 Lampiran II):
 * judul, pembukaan (Menimbang, Mengingat), batang tubuh (BAB → Bagian → Paragraf → Pasal →
 * ayat → rincian), penutup, then the optional Penjelasan and Lampiran. What follows from the draft's metadata (the kind and region, the
 * officials, the closing formulas) is drawn from it (wording.ts), never stored.
 *
 * Numbers (BAB I, Pasal 7, ayat (2), huruf a.) are never stored: they are derived from position by
 * `numbering.ts` and drawn by the editor. Structural units carry a stable `id` instead.
 *
 * Content expressions are deliberately more permissive than the drafting rules (e.g. a BAB may mix
 * Bagian and Pasal, an ayat may hold several rincian): concurrent edits merged by Yjs can produce
 * such shapes, and y-prosemirror deletes any node it cannot build. Drafting rules are enforced by
 * the editing commands and reported by lint, never by throwing away someone's text.
 */

/** Attribute carried by every addressable unit: a stable id that comments and references attach to. */
const idAttrs = { id: { default: null as string | null } }

/**
 * Attribute set on a unit when rendering a comparison between two versions (see shared/compare.ts).
 * It is view-only: y-prosemirror never writes it to Yjs, the server refuses it in updates
 * (firewall.ts), and it is rendered only through `readChange`.
 */
const ychange = { ychange: { default: null } }

/** The kinds of change a comparison marks. */
const CHANGE_TYPES: ReadonlySet<string> = new Set(['added', 'removed', 'moved'])
/** A CSS colour we accept into `style`: six hex digits, nothing else (bidangColor's palette). */
const HEX_COLOUR = /^#[0-9a-f]{6}$/i
const NEUTRAL_COLOUR = '#64748b'

/** A comparison's change, as it may be drawn: a known kind, a plain-text author, a checked colour. */
export interface Change {
  readonly type: 'added' | 'removed' | 'moved'
  readonly user: string
  readonly color: string
  /** The number a removed unit had ("Pasal 7"). */
  readonly label?: string
}

/**
 * The change a `ychange` attribute describes, or null when it describes none we draw. Nothing of
 * the attribute reaches the DOM unchecked: the colour is the only part written into `style`.
 */
export function readChange(value: unknown): Change | null {
  if (typeof value !== 'object' || value === null) return null
  const { type, user, color, label } = value as Record<string, unknown>
  if (typeof type !== 'string' || !CHANGE_TYPES.has(type)) return null
  return {
    type: type as Change['type'],
    user: typeof user === 'string' && !hasUnprintable(user) ? user.slice(0, 200) : '',
    color: typeof color === 'string' && HEX_COLOUR.test(color) ? color : NEUTRAL_COLOUR,
    ...(typeof label === 'string' && !hasUnprintable(label) ? { label: label.slice(0, 100) } : {}),
  }
}

/** DOM attributes of a compared unit: the kind of change, who made it, and their bidang's colour. */
function changeAttrs(value: unknown): Record<string, string> {
  const change = readChange(value)
  if (!change) return {}
  return { 'data-perubahan': change.type, title: change.user, style: `--warna-perubahan: ${change.color}` }
}

/** A unit id as `createId` makes them (and tests and imports name them): safe in XML ids and attributes. */
const UNIT_ID = /^[A-Za-z0-9_-]{1,64}$/
export const isUnitId = (value: unknown): value is string => typeof value === 'string' && UNIT_ID.test(value)

/** Most units a single reference names. */
const MAX_TARGETS = 64
/** Most rows or columns one table cell spans, and the widest column (in pixels) we keep. */
const MAX_SPAN = 64
const MAX_COLUMN_WIDTH = 4000
const isSpan = (value: unknown) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_SPAN
const isColumnWidth = (value: unknown) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_COLUMN_WIDTH
const oneOf =
  (...values: unknown[]) =>
  (value: unknown) =>
    values.includes(value)

/**
 * What each document attribute may hold, by attribute name (one name means one thing in every node
 * type that has it). The server refuses an update that sets anything else (firewall.ts); every
 * attribute of the schema except the view-only `ychange` must have a rule here (schema.test.ts).
 */
export const attributeValues: Readonly<Record<string, (value: unknown) => boolean>> = {
  id: isUnitId,
  targets: (value) => Array.isArray(value) && value.length <= MAX_TARGETS && value.every(isUnitId),
  mode: oneOf('unit', 'konsiderans'),
  preposisi: oneOf(true, false),
  jenis: oneOf('huruf', 'angka'),
  /** The Pasal a Penjelasan entry explains, by its stable id. */
  pasal: isUnitId,
  colspan: isSpan,
  rowspan: isSpan,
  colwidth: (value) => value === null || (Array.isArray(value) && value.length <= MAX_SPAN && value.every(isColumnWidth)),
}

/** The target ids of a `rujukan`, whatever its attribute holds (old data may hold anything). */
export const targetsOf = (node: Node): string[] => {
  const targets: unknown = node.attrs.targets
  return Array.isArray(targets) ? targets.filter(isUnitId) : []
}

/** Reads an attribute of a parsed DOM element (typed structurally: shared code has no DOM lib). */
const attr = (dom: unknown, name: string) => (dom as { getAttribute(name: string): string | null }).getAttribute(name)

const unit = (tag: string, cls: string, content: string, extra: Partial<NodeSpec> = {}): NodeSpec => ({
  content,
  attrs: { ...idAttrs, ...ychange },
  defining: true,
  parseDOM: [{ tag: `${tag}.${cls}`, getAttrs: (dom) => ({ id: attr(dom, 'data-id') }) }],
  toDOM: (node): DOMOutputSpec => [
    tag,
    { class: cls, 'data-id': isUnitId(node.attrs.id) ? node.attrs.id : null, ...changeAttrs(node.attrs.ychange) },
    0,
  ],
  ...extra,
})

const textblock = (cls: string, tag = 'p'): NodeSpec => ({
  content: 'inline*',
  attrs: { ...ychange },
  parseDOM: [{ tag: `${tag}.${cls}` }],
  toDOM: (): DOMOutputSpec => [tag, { class: cls }, 0],
})

/** Fixed wording that the rules prescribe; shown, never editable, never part of the text. */
const fixed = (text: string, cls = 'fixed'): DOMOutputSpec => ['div', { class: cls, contenteditable: 'false' }, text]

/**
 * Tables of a Lampiran (prosemirror-tables): cells hold paragraphs, so a cell is text like any
 * other and needs nothing new in the exports or the firewall beyond the span attributes.
 */
const tables = tableNodes({ tableGroup: 'tabel', cellContent: 'teks+', cellAttributes: {} })

const nodes: Record<string, NodeSpec> = {
  doc: { content: 'judul pembukaan batangTubuh penutup penjelasan? lampiran*' },

  /**
   * The judul: the drafted subject after TENTANG. The lines above it ("RANCANGAN", the kind and
   * region, "NOMOR … TAHUN …", "TENTANG") follow from the draft's metadata (wording.ts) and are
   * drawn, not stored.
   */
  judul: {
    content: 'judulJenis? judulNama',
    parseDOM: [{ tag: 'header.judul' }],
    toDOM: () => ['header', { class: 'judul' }, 0],
  },
  /** The name after "TENTANG", e.g. "PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK". */
  judulNama: textblock('judul-nama', 'h1'),

  /**
   * Menimbang and Mengingat. The frasa, the jabatan pembentuk, a Perda's Dengan Persetujuan
   * Bersama and MEMUTUSKAN / Menetapkan follow from the metadata and are drawn around them.
   */
  pembukaan: {
    content: 'jabatan? menimbang mengingat diktum?',
    parseDOM: [{ tag: 'section.pembukaan' }],
    toDOM: () => ['section', { class: 'pembukaan' }, fixed('DENGAN RAHMAT TUHAN YANG MAHA ESA', 'frasa'), ['div', { class: 'pembukaan-isi' }, 0]],
  },
  menimbang: {
    content: 'konsiderans+',
    parseDOM: [{ tag: 'section.menimbang' }],
    toDOM: () => ['section', { class: 'menimbang' }, fixed('Menimbang', 'label-kiri'), ['ol', { class: 'konsiderans-list' }, 0]],
  },
  /** One consideration, "bahwa …;" — lettered a., b. when there are two or more. */
  konsiderans: textblock('konsiderans', 'li'),
  mengingat: {
    content: 'dasarHukum+',
    parseDOM: [{ tag: 'section.mengingat' }],
    toDOM: () => ['section', { class: 'mengingat' }, fixed('Mengingat', 'label-kiri'), ['ol', { class: 'dasar-hukum-list' }, 0]],
  },
  /** One legal basis — numbered 1., 2. when there are two or more. */
  dasarHukum: textblock('dasar-hukum', 'li'),

  /**
   * Drafts stored before the metadata (issue 14) held the kind and region, the jabatan and
   * Menetapkan as typed text. They stay in the content expressions only so that such drafts and
   * their versions can be read (y-prosemirror deletes what does not fit) and upgraded (legacy.ts);
   * no update may create them (firewall.ts), and nothing draws or exports them.
   */
  judulJenis: textblock('judul-jenis', 'h1'),
  jabatan: textblock('jabatan'),
  diktum: textblock('diktum'),

  batangTubuh: {
    content: 'bab+',
    parseDOM: [{ tag: 'main.batang-tubuh' }],
    toDOM: () => ['main', { class: 'batang-tubuh' }, 0],
  },
  bab: unit('section', 'bab', 'babJudul (bagian | pasal)*'),
  babJudul: textblock('bab-judul', 'h2'),
  bagian: unit('section', 'bagian', 'bagianJudul (paragraf | pasal)*'),
  bagianJudul: textblock('bagian-judul', 'h3'),
  paragraf: unit('section', 'paragraf', 'paragrafJudul pasal*'),
  paragrafJudul: textblock('paragraf-judul', 'h4'),
  pasal: unit('article', 'pasal', 'ayat+'),
  /** A numbered sub-unit of a Pasal: "(1)" once the Pasal has two or more. */
  ayat: unit('div', 'ayat', '(teks | rincian)+'),
  /** A tabulation: huruf a., b. (or angka 1., 2. for definitions); nested levels follow Lampiran II. */
  rincian: {
    content: 'butir+',
    attrs: { jenis: { default: 'huruf' as 'huruf' | 'angka' }, ...ychange },
    parseDOM: [{ tag: 'ol.rincian', getAttrs: (dom) => ({ jenis: attr(dom, 'data-jenis') === 'angka' ? 'angka' : 'huruf' }) }],
    toDOM: (node) => ['ol', { class: 'rincian', 'data-jenis': node.attrs.jenis === 'angka' ? 'angka' : 'huruf' }, 0],
  },
  butir: unit('li', 'butir', '(teks | rincian)+'),
  teks: textblock('teks'),

  /**
   * The penutup: closing paragraphs the drafters add, and the signature block. The order to
   * promulgate before them, and the block's places, officials and gazette line, follow from the
   * metadata and are drawn.
   */
  penutup: {
    content: 'teks* penandatanganan?',
    parseDOM: [{ tag: 'footer.penutup' }],
    toDOM: () => ['footer', { class: 'penutup' }, 0],
  },
  /** Where the signature and promulgation blocks stand; a draft without one has no penutup blocks. */
  penandatanganan: {
    atom: true,
    selectable: true,
    attrs: { ...ychange },
    parseDOM: [{ tag: 'div.penandatanganan' }],
    toDOM: () => ['div', { class: 'penandatanganan', contenteditable: 'false' }],
  },

  /**
   * The Penjelasan (pergub.md §1.7): "I. UMUM" and "II. PASAL DEMI PASAL". Its heading lines follow
   * from the metadata and are drawn. Each Pasal entry names its Pasal by id, so its "Pasal N" is
   * derived from where that Pasal stands now (numbering.ts) and follows renumbering (SPEC S19).
   */
  penjelasan: {
    content: 'penjelasanUmum penjelasanPasal*',
    parseDOM: [{ tag: 'section.penjelasan' }],
    toDOM: () => ['section', { class: 'penjelasan' }, 0],
  },
  penjelasanUmum: {
    content: 'teks+',
    parseDOM: [{ tag: 'div.penjelasan-umum' }],
    toDOM: () => ['div', { class: 'penjelasan-umum' }, fixed('I. UMUM', 'penjelasan-bagian'), ['div', { class: 'penjelasan-isi' }, 0]],
  },
  /** The explanation of one Pasal; a new entry reads "Cukup jelas." (builders.ts). */
  penjelasanPasal: {
    content: 'teks+',
    attrs: { pasal: { default: null as string | null }, ...ychange },
    parseDOM: [{ tag: 'div.penjelasan-pasal', getAttrs: (dom) => ({ pasal: attr(dom, 'data-pasal') }) }],
    toDOM: (node) => ['div', { class: 'penjelasan-pasal', 'data-pasal': isUnitId(node.attrs.pasal) ? node.attrs.pasal : null }, 0],
  },

  /**
   * A Lampiran (pergub.md §1.8): its subject, then free text, headings, lists and tables. Its
   * number (I, II…) is derived from its position, and its heading block and closing signature
   * follow from the metadata; both are drawn, not stored.
   */
  lampiran: unit('section', 'lampiran', 'lampiranJudul (teks | lampiranSubjudul | rincian | table)*'),
  /** The subject of a Lampiran, e.g. "STANDAR PELAYANAN". */
  lampiranJudul: textblock('lampiran-judul', 'h2'),
  lampiranSubjudul: textblock('lampiran-subjudul', 'h3'),
  ...tables,

  /**
   * A live cross-reference ("sebagaimana dimaksud dalam Pasal 14 ayat (2)"): it stores the ids of
   * its targets, never their numbers; the editor and the exports render the words from the current
   * numbering (shared/model/references.ts). `konsiderans` is the closing Menimbang point's
   * reference to all points before it ("dalam huruf a dan huruf b").
   */
  rujukan: {
    inline: true,
    group: 'inline',
    atom: true,
    selectable: true,
    attrs: {
      targets: { default: [] as string[] },
      mode: { default: 'unit' as 'unit' | 'konsiderans' },
      /** Starts with "dalam"/"pada" as the rules choose. */
      preposisi: { default: true },
      ...ychange,
    },
    parseDOM: [
      {
        tag: 'span.rujukan',
        getAttrs: (dom) => ({
          targets: (attr(dom, 'data-targets') ?? '').split(' ').filter(Boolean),
          mode: attr(dom, 'data-mode') === 'konsiderans' ? 'konsiderans' : 'unit',
          preposisi: attr(dom, 'data-preposisi') !== 'false',
        }),
      },
    ],
    toDOM: (node) => [
      'span',
      {
        class: 'rujukan',
        'data-targets': targetsOf(node).join(' '),
        'data-mode': node.attrs.mode === 'konsiderans' ? 'konsiderans' : 'unit',
        'data-preposisi': String(node.attrs.preposisi !== false),
      },
    ],
  },

  text: { group: 'inline' },
}

const marks: Record<string, MarkSpec> = {
  /** Foreign and Latin terms are italicised in Indonesian legislation. */
  em: {
    parseDOM: [{ tag: 'i' }, { tag: 'em' }, { style: 'font-style=italic' }],
    toDOM: () => ['em', 0],
  },
  strong: {
    parseDOM: [{ tag: 'strong' }, { tag: 'b' }],
    toDOM: () => ['strong', 0],
  },
  ychange: {
    attrs: { user: { default: null }, type: { default: null }, color: { default: null } },
    inclusive: false,
    parseDOM: [],
    toDOM: (mark) => {
      const change = readChange(mark.attrs)
      return [
        change?.type === 'removed' ? 'del' : 'ins',
        { class: 'perubahan', title: change?.user ?? '', style: `--warna-perubahan: ${change?.color ?? NEUTRAL_COLOUR}` },
        0,
      ]
    },
  },
}

export const schema = new Schema({ nodes, marks })

/** Node types that carry a stable `id` (the units comments and references attach to). */
export const unitTypes: ReadonlySet<string> = new Set(
  Object.entries(nodes)
    .filter(([, spec]) => spec.attrs !== undefined && 'id' in spec.attrs)
    .map(([name]) => name),
)

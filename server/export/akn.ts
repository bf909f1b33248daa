import { huruf } from '../../shared/model/ordinals.js'
import type { Content, Division, Item, Lampiran, LampiranBlock, Pasal, Penjelasan, Regulation, Run, TableCell } from './regulation.js'
import { kepalaDaerah, type DraftMeta } from '../../shared/documents.js'
import { regionName, type SignatureBlock } from '../../shared/model/wording.js'

/**
 * Akoma Ntoso 3.0 (OASIS LegalDocML) for the legal documentation network, mapped as
 * shared/domain/pergub.md §3 recommends, its FRBR identification from the draft's metadata: BAB → chapter, Bagian → section, Paragraf → subsection,
 * Pasal → article, ayat → paragraph, huruf/angka → list/point, live references → ref. eIds follow
 * the naming convention (art_5__para_1__list_1__point_a); each unit's stable id is its GUID.
 * Validated against the official schema by the tests (xmllint).
 */

const NS = 'http://docs.oasis-open.org/legaldocml/ns/akn/3.0'
export const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
/** A GUID attribute value from a unit id (GUIDs may not start with a digit in some validators). */
const guid = (id: string | null) => (id ? ` GUID="#rancang-${escape(id)}"` : '')

/** eIds of every unit, by unit id, computed first so references can point forward too. */
function eIds(regulation: Regulation): Map<string, string> {
  const map = new Map<string, string>()
  const items = (list: readonly Item[], prefix: string) => {
    list.forEach((item, i) => {
      const marker = item.label.replace(/[.)]/g, '') || String(i + 1)
      const eId = `${prefix}__point_${marker}`
      if (item.id) map.set(item.id, eId)
      content(item.content, eId)
    })
  }
  const content = (list: readonly Content[], prefix: string) => {
    let lists = 0
    for (const c of list) if (c.kind === 'rincian') items(c.items, `${prefix}__list_${++lists}`)
  }
  const pasal = (p: Pasal) => {
    const eId = `art_${p.number}`
    if (p.id) map.set(p.id, eId)
    p.ayat.forEach((a, i) => {
      const para = `${eId}__para_${i + 1}`
      if (a.id) map.set(a.id, para)
      content(a.content, para)
    })
  }
  const division = (d: Division, prefix: string) => {
    const short = { bab: 'chp', bagian: 'sec', paragraf: 'subsec' }[d.kind]
    const eId = `${prefix}${short}_${d.number}`
    if (d.id) map.set(d.id, eId)
    for (const child of d.children)
      if (child.kind === 'pasal') pasal(child)
      else division(child, `${eId}__`)
  }
  for (const bab of regulation.bab) division(bab, '')
  return map
}

function inline(runs: readonly Run[], ids: Map<string, string>): string {
  return runs
    .map((run) => {
      let text = escape(run.text)
      if (run.ref && ids.has(run.ref.targetId)) text = `<ref href="#${ids.get(run.ref.targetId)}">${text}</ref>`
      if (run.italic) text = `<i>${text}</i>`
      if (run.bold) text = `<b>${text}</b>`
      return text
    })
    .join('')
}

const p = (runs: readonly Run[], ids: Map<string, string>) => `<p>${inline(runs, ids)}</p>`

/** The inside of a paragraph or point: plain content, or lists with an intro (and a wrap-up). */
function body(list: readonly Content[], eId: string, ids: Map<string, string>): string {
  if (!list.some((c) => c.kind === 'rincian')) {
    return `<content>${list.map((c) => (c.kind === 'teks' ? p(c.runs, ids) : '')).join('') || '<p/>'}</content>`
  }
  let out = ''
  let intro: string[] = []
  let lists = 0
  let openList = ''
  for (const c of list) {
    if (c.kind === 'teks') {
      if (openList) {
        out += `${openList}<wrapUp>${p(c.runs, ids)}</wrapUp></list>`
        openList = ''
      } else intro.push(p(c.runs, ids))
      continue
    }
    if (openList) out += `${openList}</list>`
    const listId = `${eId}__list_${++lists}`
    openList = `<list eId="${listId}">${intro.length ? `<intro>${intro.join('')}</intro>` : ''}${c.items.map((item, i) => point(item, i, listId, ids)).join('')}`
    intro = []
  }
  if (openList) out += `${openList}</list>`
  return out
}

function point(item: Item, index: number, listId: string, ids: Map<string, string>): string {
  const marker = item.label.replace(/[.)]/g, '') || huruf(index + 1)
  const eId = `${listId}__point_${marker}`
  return `<point eId="${eId}"${guid(item.id)}><num>${escape(item.label)}</num>${body(item.content, eId, ids)}</point>`
}

function article(pasal: Pasal, ids: Map<string, string>, eId = `art_${pasal.number}`): string {
  const paragraphs = pasal.ayat
    .map((a, i) => {
      const para = `${eId}__para_${i + 1}`
      return `<paragraph eId="${para}"${guid(a.id)}>${a.label ? `<num>${escape(a.label)}</num>` : ''}${body(a.content, para, ids)}</paragraph>`
    })
    .join('')
  const num = pasal.label ? `<num>${escape(pasal.label)}</num>` : ''
  return `<article eId="${eId}"${guid(pasal.id)}>${num}${paragraphs}</article>`
}

/** `articles` prefixes the eIds of the division's Pasal: empty in a regulation's body (art_5), the quote's eId in a quoted BAB. */
function division(d: Division, prefix: string, ids: Map<string, string>, eId = `${prefix}${SHORT[d.kind]}_${d.number}`, articles = ''): string {
  const element = { bab: 'chapter', bagian: 'section', paragraf: 'subsection' }[d.kind]
  const children = d.children
    .map((c) => (c.kind === 'pasal' ? article(c, ids, `${articles}art_${c.number}`) : division(c, `${eId}__`, ids, undefined, articles)))
    .join('')
  return `<${element} eId="${eId}"${guid(d.id)}><num>${escape(d.label)}</num><heading>${inline(d.title, ids)}</heading>${children}</${element}>`
}
const SHORT = { bab: 'chp', bagian: 'sec', paragraf: 'subsec' } as const

/**
 * A Pasal or BAB quoted by an amendment point, as the inside of a `<quotedStructure>`: its eIds
 * under `prefix` (the quote's eId), its number the one the point gives it ("Pasal 8A"). References
 * inside a quote are kept as their words: their targets are in another document. `eIdNumber` is
 * the number as eIds write it (BAB "VA" is chp_5A).
 */
export function quotedUnitXml(unit: Pasal | Division, prefix: string, number: string, eIdNumber = number): string {
  const ids = new Map<string, string>()
  if (unit.kind === 'pasal') return article({ ...unit, label: `Pasal ${number}` }, ids, `${prefix}__art_${eIdNumber}`)
  return division({ ...unit, label: `${unit.label.split(' ')[0]} ${number}` }, '', ids, `${prefix}__${SHORT[unit.kind]}_${eIdNumber}`, `${prefix}__`)
}

export interface AknOptions {
  readonly docId: string
  /** ISO date of the expression (today, or the snapshot's day). */
  readonly date: string
  /** An `<analysis>` for the meta block: an amendment's activeModifications, a consolidated text's passiveModifications. */
  readonly analysis?: string
  /** The body in place of the regulation's BAB: an amendment's Pasal I and Pasal II. */
  readonly body?: string
  /** What the act holds (default `originalVersion`; a consolidated text is a `singleVersion`). */
  readonly contains?: 'originalVersion' | 'singleVersion'
}

/** The work URI of a regulation: `/akn/id/act/pergub/maluku/2021/98`; `nomor` is its last segment as given. */
export const workUri = (work: { jenis: string; daerah: string; tahun: number | string; nomor: string }) =>
  `/akn/id/act/${work.jenis}/${segment(work.daerah)}/${work.tahun}/${escape(work.nomor)}`

/** A name as a URI or id segment: "Kutai Kartanegara" → "kutai-kartanegara". */
export const segment = (text: string) =>
  text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'x'

/** The work URI of a draft: by its number and year once set, else by its id and this year. */
export const workOf = (meta: DraftMeta, options: AknOptions) =>
  workUri({ ...meta, tahun: meta.tahun ?? options.date.slice(0, 4), nomor: meta.nomor ? segment(meta.nomor) : options.docId })

/** The head of region's role id: "gubernur", "bupati", "wali-kota". */
const roleId = (meta: DraftMeta) => segment(kepalaDaerah(meta.jenis))

/**
 * The FRBR identification (pergub.md §3): the work is the region's (its government is the author,
 * a TLCOrganization), of the kind the metadata says (the document's name and subtype), with its
 * number and year once they are set. The day of enactment is not known to the metadata, so a year
 * alone is dated its first of January and named "tahun".
 */
function identification(regulation: Regulation, options: AknOptions, component = 'main'): { frbr: string; references: string } {
  const { meta } = regulation
  const region = regionName(meta)
  const author = `pemerintah-${segment(region)}`
  const work = workOf(meta, options)
  const expression = `${work}/ind@${options.date}`
  const workDate = meta.tahun ? `<FRBRdate date="${meta.tahun}-01-01" name="tahun"/>` : `<FRBRdate date="${options.date}" name="draft"/>`
  const number = meta.nomor ? `<FRBRnumber value="${escape(meta.nomor)}"/>` : ''
  const frbr = `<identification source="#rancang">
<FRBRWork><FRBRthis value="${work}/!${component}"/><FRBRuri value="${work}"/>${workDate}<FRBRauthor href="#${author}"/><FRBRcountry value="id"/><FRBRsubtype value="${meta.jenis}"/>${number}<FRBRprescriptive value="true"/></FRBRWork>
<FRBRExpression><FRBRthis value="${expression}/!${component}"/><FRBRuri value="${expression}"/><FRBRdate date="${options.date}" name="draft"/><FRBRauthor href="#rancang"/><FRBRlanguage language="ind"/></FRBRExpression>
<FRBRManifestation><FRBRthis value="${expression}/!${component}.xml"/><FRBRuri value="${expression}.akn"/><FRBRdate date="${options.date}" name="generation"/><FRBRauthor href="#rancang"/></FRBRManifestation>
</identification>`
  const references = `<references source="#rancang">
<TLCOrganization eId="rancang" href="/ontology/organization/id/rancang" showAs="Rancang"/>
<TLCOrganization eId="${author}" href="/ontology/organization/id/${author}" showAs="${escape(`Pemerintah ${region}`)}"/>
<TLCLocation eId="tempat" href="/ontology/location/id/${segment(meta.tempat)}" showAs="${escape(meta.tempat || '…')}"/>
<TLCRole eId="${roleId(meta)}" href="/ontology/role/id/${roleId(meta)}" showAs="${escape(meta.pejabat)}"/>
<TLCRole eId="sekda" href="/ontology/role/id/sekda" showAs="${escape(`Sekretaris Daerah ${region}`)}"/>
</references>`
  return { frbr, references }
}

/** The order to promulgate, the drafters' closing paragraphs, the signature blocks and the gazette line. */
function conclusions(regulation: Regulation, ids: Map<string, string>): string {
  const { wording, meta } = regulation
  const closing = regulation.penutup.map((para) => p(para, ids)).join('')
  if (!regulation.signed) return closing
  const place = (b: SignatureBlock, verb: string) =>
    `<p>${verb} di <location refersTo="#tempat">${escape(meta.tempat || '…')}</location> ${escape(b.tanggal)}</p>`
  return `<p>${escape(wording.perintahPengundangan)}</p>${closing}
${place(wording.penetapan, 'Ditetapkan')}
<p><signature><role refersTo="#${roleId(meta)}">${escape(wording.penetapan.jabatan)}</role> <person refersTo="#penandaTangan">${escape(wording.penetapan.nama)}</person></signature></p>
${place(wording.pengundangan, 'Diundangkan')}
<p><signature><role refersTo="#sekda">${escape(wording.pengundangan.jabatan)}</role> <person refersTo="#sekdaPenanda">${escape(wording.pengundangan.nama)}</person></signature></p>
<p>${escape(wording.berita)}</p>${wording.noreg ? `\n<p>${escape(wording.noreg)}</p>` : ''}`
}

/** Text and lists outside the hierarchy (Penjelasan, Lampiran): paragraphs and blockLists with numbered items. */
function blocks(list: readonly Content[], eId: string, ids: Map<string, string>): string {
  let lists = 0
  return list
    .map((c) => {
      if (c.kind === 'teks') return p(c.runs, ids)
      const listId = `${eId}__list_${++lists}`
      return `<blockList eId="${listId}">${c.items
        .map((item, i) => {
          const itemId = `${listId}__item_${item.label.replace(/[.)]/g, '') || i + 1}`
          return `<item eId="${itemId}"${guid(item.id)}><num>${escape(item.label)}</num>${blocks(item.content, itemId, ids) || '<p/>'}</item>`
        })
        .join('')}</blockList>`
    })
    .join('')
}

/** An attachment: a whole doc with its own FRBR identification (the work's component) and body. */
function attachment(regulation: Regulation, options: AknOptions, component: string, name: string, mainBody: string): string {
  const { frbr } = identification(regulation, options, component)
  return `<attachment><doc name="${name}"><meta>
${frbr}
</meta>
<mainBody>
${mainBody}
</mainBody></doc></attachment>`
}

/** The Penjelasan (pergub.md §3): a "penjelasan" doc, each Pasal's entry by its current number (SPEC S19). */
function penjelasan(part: Penjelasan, regulation: Regulation, ids: Map<string, string>): string {
  const umum = `<hcontainer eId="umum" name="umum"><num>I.</num><heading>UMUM</heading><content>${blocks(part.umum, 'umum', ids) || '<p/>'}</content></hcontainer>`
  const entries = part.pasal
    .map((entry, i) => {
      const eId = `pasalDemiPasal__entry_${i + 1}`
      const target = entry.pasalId && ids.get(entry.pasalId)
      const label = target ? `<ref href="#${target}">${escape(entry.label)}</ref>` : escape(entry.label)
      return `<hcontainer eId="${eId}" name="penjelasanPasal"><heading>${label}</heading><content>${blocks(entry.content, eId, ids) || '<p/>'}</content></hcontainer>`
    })
    .join('')
  return `<container name="judulPenjelasan">${regulation.wording.penjelasan.map((line) => `<p>${escape(line)}</p>`).join('')}</container>
${umum}
<hcontainer eId="pasalDemiPasal" name="pasalDemiPasal"><num>II.</num><heading>PASAL DEMI PASAL</heading>${entries}</hcontainer>`
}

function lampiranBlock(part: LampiranBlock, eId: string, ids: Map<string, string>): string {
  if (part.kind === 'subjudul') return `<p><b>${inline(part.runs, ids)}</b></p>`
  if (part.kind !== 'tabel') return blocks([part], eId, ids)
  const cell = (c: TableCell) => {
    const tag = c.header ? 'th' : 'td'
    const spans = `${c.colspan > 1 ? ` colspan="${c.colspan}"` : ''}${c.rowspan > 1 ? ` rowspan="${c.rowspan}"` : ''}`
    return `<${tag}${spans}>${blocks(c.content, eId, ids) || '<p/>'}</${tag}>`
  }
  return `<table eId="${eId}">${part.rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('')}</table>`
}

/** A Lampiran: the heading block from the metadata, its subject, its parts (tables as tables) and the signature. */
function lampiran(part: Lampiran, regulation: Regulation, ids: Map<string, string>): string {
  const { wording, meta } = regulation
  const heading = [part.label, ...wording.lampiran].map((line) => `<p>${escape(line)}</p>`).join('')
  const body = part.blocks.map((block, i) => lampiranBlock(block, `blk_${i + 1}`, ids)).join('')
  return `<container name="kepalaLampiran">${heading}</container>
<container name="isiLampiran"${guid(part.id)}><p><b>${inline(part.judul, ids)}</b></p>${body}</container>
<container name="penandatanganan"><p><signature><role refersTo="#${roleId(meta)}">${escape(wording.penetapan.jabatan)}</role> <person refersTo="#penandaTangan">${escape(wording.penetapan.nama)}</person></signature></p></container>`
}

/** The Penjelasan and every Lampiran as attachments, or nothing when the draft has neither. */
function attachments(regulation: Regulation, options: AknOptions, ids: Map<string, string>): string {
  const parts = [
    ...(regulation.penjelasan
      ? [attachment(regulation, options, 'penjelasan', 'penjelasan', penjelasan(regulation.penjelasan, regulation, ids))]
      : []),
    ...regulation.lampiran.map((part, i) => attachment(regulation, options, `lampiran_${i + 1}`, 'lampiran', lampiran(part, regulation, ids))),
  ]
  return parts.length ? `<attachments>\n${parts.join('\n')}\n</attachments>\n` : ''
}

export function toAkn(regulation: Regulation, options: AknOptions): string {
  const ids = eIds(regulation)
  const { wording, meta } = regulation
  const { frbr, references } = identification(regulation, options)
  const recitals = regulation.menimbang
    .map((r, i) => `<recital eId="recs__rec_${huruf(i + 1)}">${r.label ? `<num>${escape(r.label)}</num>` : ''}${p(textOf(r), ids)}</recital>`)
    .join('')
  const citations = regulation.mengingat
    .map((c, i) => `<citation eId="cits__cit_${i + 1}">${c.label ? `<num>${escape(c.label)}</num>` : ''}${p(textOf(c), ids)}</citation>`)
    .join('')
  const persetujuan = wording.persetujuan
    ? `<formula name="persetujuanBersama">${wording.persetujuan.map((line) => `<p>${escape(line)}</p>`).join('')}</formula>\n`
    : ''
  return `<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="${NS}">
<act name="${meta.jenis}" contains="${options.contains ?? 'originalVersion'}">
<meta>
${frbr}
${options.analysis ? `${options.analysis}\n` : ''}${references}
</meta>
<preface>
<longTitle><p><docType>${escape(wording.judulJenis)}</docType> <docNumber>${escape(wording.judulNomor)}</docNumber> TENTANG <docTitle>${inline(regulation.nama, ids)}</docTitle></p></longTitle>
</preface>
<preamble>
<formula name="frasaKetuhanan"><p>DENGAN RAHMAT TUHAN YANG MAHA ESA</p><p>${escape(wording.jabatan)}</p></formula>
<recitals eId="recs"><intro><p>Menimbang</p></intro>${recitals}</recitals>
<citations eId="cits"><intro><p>Mengingat</p></intro>${citations}</citations>
${persetujuan}<formula name="enactingFormula"><p>MEMUTUSKAN:</p><p>Menetapkan: ${escape(wording.menetapkan)}</p></formula>
</preamble>
<body>
${options.body ?? regulation.bab.map((b) => division(b, '', ids)).join('\n')}
</body>
<conclusions>
${conclusions(regulation, ids)}
</conclusions>
${attachments(regulation, options, ids)}</act>
</akomaNtoso>
`
}

/** The runs of a one-line list item (konsiderans, dasar hukum). */
const textOf = (item: Item) => (item.content[0]?.kind === 'teks' ? item.content[0].runs : [])

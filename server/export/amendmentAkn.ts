import { Node } from 'prosemirror-model'
import type { AmendmentAction, AmendmentPoint, QuotedUnit, UnitAddress } from '../../shared/amendment/points.js'
import type { AmendmentBase } from '../../shared/documents.js'
import { bab, regulation as regulationDoc } from '../../shared/model/builders.js'
import { schema } from '../../shared/model/schema.js'
import { escape, quotedUnitXml, segment, toAkn, workOf, workUri, type AknOptions } from './akn.js'
import { ordinalValue, romanValue } from './unitNumbers.js'
import { toRegulation, type Regulation } from './regulation.js'

/**
 * Akoma Ntoso for amendments (pergub.md §3, Lampiran II UU 12/2011 C.5). The amendment regulation:
 * Pasal I as a list of points, each instruction a `<mod>` whose quoted unit is a
 * `<quotedStructure>`, with `<activeModifications>` naming, per point, the units of the base it
 * substitutes, inserts or repeals. The consolidated text: the base's `<passiveModifications>`, each
 * pointing back at the amendment's `<mod>`. The instructions' wording is the caller's (the
 * generator's, or the text an import read), so that the words are written in one place.
 */

/** A point with the words of its instruction ("Ketentuan Pasal 5 diubah sehingga berbunyi sebagai berikut:"). */
export interface WordedPoint {
  readonly point: AmendmentPoint
  readonly instruction: string
}

export interface AmendmentAkn {
  /** The amendment regulation itself (judul, pembukaan, penutup, its own Lampiran); its BAB are not read. */
  readonly regulation: Regulation
  readonly base: AmendmentBase
  /** Pasal I's opening sentence ("Beberapa ketentuan dalam … diubah sebagai berikut:"). */
  readonly intro: string
  readonly points: readonly WordedPoint[]
  /** Pasal II's sentences (entry into force). */
  readonly pasalII: readonly string[]
}

const TYPES: Readonly<Record<AmendmentAction, string>> = {
  diubah: 'substitution',
  disisipkan: 'insertion',
  ditambahkan: 'insertion',
  dihapus: 'repeal',
}

/** "VA" → "5A": a BAB's number as the eIds have it (chp_5), its suffix kept. */
function arabic(number: string): string {
  const match = /^([IVXLCDM]+)([A-Z]?)$/.exec(number)
  return match ? `${romanValue(match[1]!)}${match[2]}` : segment(number)
}

/** Where an address points in a regulation's AKN: its component (main, lampiran_1) and eId (art_5__para_2). */
export function addressTarget(address: UnitAddress): { component: string; eId: string } {
  let component = 'main'
  let eId = ''
  let inArticle = false
  let paragraph = false
  const join = (part: string) => (eId = eId ? `${eId}__${part}` : part)
  for (const step of address) {
    if (step.kind === 'lampiran') component = `lampiran_${arabic(step.number)}`
    else if (step.kind === 'bab') join(`chp_${arabic(step.number)}`)
    else if (step.kind === 'bagian' || step.kind === 'paragraf') {
      const ordinal = ordinalValue(step.number)
      join(`${step.kind === 'bagian' ? 'sec' : 'subsec'}_${Number.isNaN(ordinal) ? segment(step.number) : ordinal}`)
    } else if (step.kind === 'pasal') {
      eId = `art_${step.number}`
      inArticle = true
    } else if (step.kind === 'ayat') {
      join(`para_${step.number}`)
      paragraph = true
    } else {
      // A rincian directly under a Pasal of one ayat stands in its only paragraph.
      if (inArticle && !paragraph) join('para_1')
      paragraph = true
      join(`list_1__point_${step.number}`)
    }
  }
  return { component, eId }
}

const href = (work: string, address: UnitAddress) => {
  const { component, eId } = addressTarget(address)
  return `${work}/!${component}${eId ? `#${eId}` : ''}`
}

/** The eId of point `n`'s `<mod>` in Pasal I. */
const modEId = (n: number) => `art_I__para_1__list_1__point_${n}__mod_1`

/** Where a point's change lands in the base: the units changed or deleted, or, for an insertion, the unit it follows. */
function destinations(point: AmendmentPoint, work: string): string {
  if (point.action === 'disisipkan' && point.between) return `<destination href="${href(work, point.between[0])}" pos="after"/>`
  if (point.action === 'ditambahkan') {
    // Added at the end of what holds it: an item at the end of its list, an ayat at the end of its Pasal.
    return point.units
      .map((unit) => {
        const { component, eId } = addressTarget(unit)
        return `<destination href="${work}/!${component}#${eId.replace(/__(point|para)_[^_]+$/, '')}" pos="end"/>`
      })
      .join('')
  }
  return point.units.map((unit) => `<destination href="${href(work, unit)}"/>`).join('')
}

/** One quoted unit as AKN: a Pasal or BAB read from its ProseMirror JSON. */
function quotedUnitStructure(quoted: QuotedUnit, eId: string, regulation: Regulation): string {
  const node = Node.fromJSON(schema, quoted.node)
  const number = quoted.address.at(-1)!.number
  if (node.type.name !== 'pasal' && node.type.name !== 'bab') return ''
  const doc = regulationDoc({ nama: '', menimbang: [''], mengingat: [''], batangTubuh: [node.type.name === 'bab' ? node : bab('', node)] })
  const division = toRegulation(doc, regulation.meta).bab[0]!
  const unit = node.type.name === 'bab' ? division : division.children[0]!
  // The Pasal of a quoted BAB are numbered in the base's numbering, which the node does not carry: they go without a number.
  const unnumbered = unit.kind === 'pasal' ? unit : { ...unit, children: unit.children.map((c) => (c.kind === 'pasal' ? { ...c, label: '' } : c)) }
  const eIdNumber = unit.kind === 'pasal' ? number : arabic(number)
  return `<quotedStructure eId="${eId}" startQuote="“" endQuote="”">${quotedUnitXml(unnumbered, eId, number, eIdNumber)}</quotedStructure>`
}

/** The units a point quotes, each its own quotedStructure. */
const quotedXml = (point: AmendmentPoint, prefix: string, regulation: Regulation): string =>
  (point.quoted ?? []).map((quoted, i) => quotedUnitStructure(quoted, `${prefix}__qstr_${i + 1}`, regulation)).join('')

/** The amendment regulation as Akoma Ntoso, with its activeModifications. */
export function toAmendmentAkn(amendment: AmendmentAkn, options: Omit<AknOptions, 'analysis' | 'body'>): string {
  const base = workUri({ ...amendment.base, nomor: segment(amendment.base.nomor) })
  const points = amendment.points
    .map(({ point, instruction }, i) => {
      const n = i + 1
      const mod = modEId(n)
      return `<point eId="art_I__para_1__list_1__point_${n}"><num>${n}.</num><content><p><mod eId="${mod}">${escape(instruction)}${quotedXml(point, mod, amendment.regulation)}</mod></p></content></point>`
    })
    .join('\n')
  const pasalII = amendment.pasalII
    .map((text, i) => `<paragraph eId="art_II__para_${i + 1}"><content><p>${escape(text)}</p></content></paragraph>`)
    .join('')
  const body = `<article eId="art_I"><num>Pasal I</num><paragraph eId="art_I__para_1"><list eId="art_I__para_1__list_1"><intro><p>${escape(amendment.intro)}</p></intro>
${points}
</list></paragraph></article>
<article eId="art_II"><num>Pasal II</num>${pasalII || '<paragraph eId="art_II__para_1"><content><p/></content></paragraph>'}</article>`
  const own = workOf(amendment.regulation.meta, options)
  /** The new text: the point's quoted structure, or for a Lampiran, this regulation's own Lampiran. */
  const replacement = (point: AmendmentPoint, mod: string) =>
    point.action === 'dihapus'
      ? ''
      : (point.quoted ?? [])
          .map((quoted, i) => `<new href="${quoted.address[0]!.kind === 'lampiran' ? href(own, quoted.address) : `#${mod}__qstr_${i + 1}`}"/>`)
          .join('')
  const mods = amendment.points
    .map(({ point }, i) => {
      const mod = modEId(i + 1)
      return `<textualMod eId="amod_${i + 1}" type="${TYPES[point.action]}"><source href="#${mod}"/>${destinations(point, base)}${replacement(point, mod)}</textualMod>`
    })
    .join('\n')
  const analysis = mods ? `<analysis source="#rancang"><activeModifications>\n${mods}\n</activeModifications></analysis>` : ''
  return toAkn(amendment.regulation, { ...options, body, ...(analysis ? { analysis } : {}) })
}

/**
 * The base's `<analysis>` for its consolidated text: per point, the units it changed in this text
 * (`#art_8A`) and the amendment's `<mod>` that changed them. `amendment` is the amendment's work URI.
 */
export function passiveModifications(points: readonly AmendmentPoint[], amendment: string): string {
  const mods = points.map((point, i) => {
    const own = (address: UnitAddress) => {
      const { component, eId } = addressTarget(address)
      return component === 'main' ? `#${eId}` : `#${component}`
    }
    return `<textualMod eId="pmod_${i + 1}" type="${TYPES[point.action]}"><source href="${amendment}/!main#${modEId(i + 1)}"/>${point.units
      .map((unit) => `<destination href="${own(unit)}"/>`)
      .join('')}</textualMod>`
  })
  return mods.length ? `<analysis source="#rancang"><passiveModifications>\n${mods.join('\n')}\n</passiveModifications></analysis>` : ''
}

import type { Node } from 'prosemirror-model'
import type { AmendedRegulation, DraftMeta } from '../documents.js'
import { amendedCitation, amendedGazette, jenisName } from '../model/wording.js'
import { applyAmendment } from './apply.js'
import { generateAmendment } from './generator.js'
import type { AmendmentPoint } from './points.js'
import { wordPasalI, wordPasalII, wordPoint } from './wording.js'

/** Pasal I and Pasal II of an amendment draft, as data and as words: what the side view shows and the exports print. */
export interface AmendmentArticles {
  /** "Beberapa ketentuan dalam … diubah sebagai berikut:". */
  readonly opening: string
  /** In order: each point as data, and its words ("1. Ketentuan Pasal 5 diubah sehingga berbunyi sebagai berikut:"). */
  readonly points: ReadonlyArray<{ readonly point: AmendmentPoint; readonly words: string }>
  readonly pasalII: string
}

/**
 * Pasal I and II of the amendment draft whose metadata is `meta`: the points that turn `base`
 * (the text frozen when the draft was created) into `consolidated` (the draft as it stands),
 * citing the base as the metadata names it.
 */
export function amendmentArticles(base: Node, consolidated: Node, meta: DraftMeta & { readonly amends: AmendedRegulation }): AmendmentArticles {
  const points = generateAmendment(base, consolidated)
  const context = { jenisName: jenisName(meta.jenis) }
  const wording = wordPasalI(points, { title: amendedCitation(meta, meta.amends), gazette: amendedGazette(meta, meta.amends) }, context)
  return {
    opening: wording.opening,
    points: points.map((point, index) => ({ point, words: wording.points[index] ?? wordPoint(point, context) })),
    pasalII: wordPasalII(context),
  }
}

/** Whether a draft is an amendment draft. */
export const isAmendment = (meta: DraftMeta): meta is DraftMeta & { readonly amends: AmendedRegulation } => meta.amends !== undefined

/**
 * The naskah terpadu of an amendment draft: its text with every base unit removed outright put
 * back in its place reading "Dihapus." (Lampiran II keeps a deleted unit's number in view). The
 * judul, pembukaan and penutup stay the draft's own.
 */
export function naskahTerpadu(base: Node, consolidated: Node): Node {
  const amended = applyAmendment(base, generateAmendment(base, consolidated))
  const part = (doc: Node, name: string) => {
    let found: Node | null = null
    doc.forEach((child) => {
      if (!found && child.type.name === name) found = child
    })
    return found as Node | null
  }
  const batangTubuh = part(amended, 'batangTubuh')
  const children: Node[] = []
  consolidated.forEach((child) => {
    if (child.type.name === 'batangTubuh' && batangTubuh) children.push(batangTubuh)
    else if (child.type.name !== 'lampiran') children.push(child)
  })
  amended.forEach((child) => {
    if (child.type.name === 'lampiran') children.push(child)
  })
  return consolidated.type.create(consolidated.attrs, children)
}

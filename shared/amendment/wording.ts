import { terbilang } from '../model/ordinals.js'
import type { AmendmentPoint, UnitAddress, UnitKind, UnitStep } from './points.js'

/**
 * The words of Pasal I and Pasal II of a "Perubahan atas …" regulation (Lampiran II UU 12/2011,
 * C.5; pergub.md §1.13), from the amendment points. Units are named innermost first, as the
 * examples of Lampiran II do: "ayat (2) Pasal 5", "huruf c ayat (2) Pasal 5", "Bagian Kedua BAB II".
 */

/** How the amending regulation calls itself ("Peraturan Gubernur"), for "… dari Peraturan Gubernur ini". */
export interface PointContext {
  readonly jenisName: string
}

const DEFAULT_CONTEXT: PointContext = { jenisName: 'Peraturan Gubernur' }

/** One step as the text names it: "Pasal 8A", "ayat (2a)", "huruf c", "BAB VA", "Bagian Kedua", "Lampiran I". */
export function stepName(step: UnitStep): string {
  switch (step.kind) {
    case 'bab':
      return `BAB ${step.number}`
    case 'bagian':
      return `Bagian ${step.number}`
    case 'paragraf':
      return `Paragraf ${step.number}`
    case 'pasal':
      return `Pasal ${step.number}`
    case 'ayat':
      return `ayat (${step.number})`
    case 'lampiran':
      return step.number ? `Lampiran ${step.number}` : 'Lampiran'
    default:
      return `${step.kind} ${step.number}`
  }
}

/** A whole address, innermost first: "huruf c ayat (2) Pasal 5". */
export const addressName = (address: UnitAddress): string => address.map(stepName).reverse().join(' ')

/** "a", "a dan b", "a, b, dan c". */
function list(items: readonly string[]): string {
  if (items.length <= 2) return items.join(' dan ')
  return `${items.slice(0, -1).join(', ')}, dan ${items.at(-1)}`
}

/** The units of a point that share their container: "ayat (3) dan ayat (4)" and the container "Pasal 7". */
function named(units: readonly UnitAddress[]): { readonly names: string; readonly container: UnitAddress } {
  const container = units[0]!.slice(0, -1)
  return { names: list(units.map((unit) => stepName(unit.at(-1)!))), container }
}

/** "1 (satu) pasal": a unit kind's name is its common noun. */
const count = (n: number, kind: UnitKind) => `${n} (${terbilang(n)}) ${kind}`
const within = (container: UnitAddress) => (container.length ? ` ${addressName(container)}` : '')
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** The words of one point, up to and including the colon before the quoted text (or the final period). */
export function wordPoint(point: AmendmentPoint, context: PointContext = DEFAULT_CONTEXT): string {
  const kind = point.units[0]!.at(-1)!.kind
  const { names, container } = named(point.units)
  // A change inside a Pasal restates the whole Pasal: "sehingga Pasal 7 berbunyi".
  const quotedName = point.quoted?.[0] && point.quoted[0].address.length < point.units[0]!.length ? `${addressName(point.quoted[0].address)} ` : ''
  const berbunyi = `sehingga ${quotedName}berbunyi sebagai berikut:`
  const tercantum = (name: string) => `sebagaimana tercantum dalam ${name} yang merupakan bagian tidak terpisahkan dari ${context.jenisName} ini.`
  if (kind === 'lampiran' && point.action !== 'dihapus' && point.aspect !== 'judul')
    return point.action === 'diubah'
      ? `${capitalise(names)} diubah sehingga menjadi ${tercantum(names)}`
      : `${introduction(point, names, container, kind)} ${tercantum(names)}`
  switch (point.action) {
    case 'diubah':
      if (point.aspect === 'judul') return `Judul ${addressName(point.units[0]!)} diubah ${berbunyi}`
      return `Ketentuan ${names}${within(container)} diubah ${berbunyi}`
    case 'dihapus':
      if (point.quoted) return `Ketentuan ${names}${within(container)} dihapus ${berbunyi}`
      return `${capitalise(names)}${within(container)} dihapus.`
    default:
      return `${introduction(point, names, container, kind)} ${berbunyi}`
  }
}

/** "Di antara Pasal 8 dan Pasal 9 disisipkan 1 (satu) pasal, yakni Pasal 8A" or "Ketentuan Pasal 5 ditambah 1 (satu) ayat, yakni ayat (4)". */
function introduction(point: AmendmentPoint, names: string, container: UnitAddress, kind: UnitKind): string {
  const what = `${count(point.units.length, kind)}, yakni ${names}`
  if (point.action === 'disisipkan' && point.between) {
    const [before, after] = point.between
    return `Di antara ${stepName(before.at(-1)!)} dan ${stepName(after.at(-1)!)}${within(container)} disisipkan ${what}`
  }
  if (container.length) return `Ketentuan ${addressName(container)} ditambah ${what}`
  return `${point.action === 'disisipkan' ? 'Disisipkan' : 'Ditambahkan'} ${what}`
}

/** What Pasal I cites: the base regulation as the amending one names it. */
export interface BaseCitation {
  /** "Peraturan Gubernur Kalimantan Timur Nomor 12 Tahun 2021 tentang Penyelenggaraan Sistem Pemerintahan Berbasis Elektronik" */
  readonly title: string
  /** "(Berita Daerah Provinsi Kalimantan Timur Tahun 2021 Nomor 12)", if known. */
  readonly gazette?: string
}

export interface PasalIWording {
  /** "Beberapa ketentuan dalam … diubah sebagai berikut:" (or, for one point, "Ketentuan dalam … diubah sebagai berikut:"). */
  readonly opening: string
  /** Each point's words, numbered "1.", "2." when there are two or more. */
  readonly points: readonly string[]
}

/** Pasal I: its opening sentence citing the base, then the points in order. */
export function wordPasalI(points: readonly AmendmentPoint[], base: BaseCitation, context: PointContext = DEFAULT_CONTEXT): PasalIWording {
  const cited = base.gazette ? `${base.title} ${base.gazette}` : base.title
  const numbered = points.length > 1
  return {
    opening: `${numbered ? 'Beberapa ketentuan' : 'Ketentuan'} dalam ${cited} diubah sebagai berikut:`,
    points: points.map((point, index) => `${numbered ? `${index + 1}. ` : ''}${wordPoint(point, context)}`),
  }
}

/** Pasal II: the entry into force of the amending regulation. */
export const wordPasalII = (context: PointContext = DEFAULT_CONTEXT): string => `${context.jenisName} ini mulai berlaku pada tanggal diundangkan.`

/**
 * The amendment points of Pasal I of a "Perubahan atas …" regulation (Lampiran II UU 12/2011, C.5),
 * as data. The generator writes them from the difference between the base regulation and the
 * consolidated text, the Word import reads them from an amendment regulation's Pasal I, and the
 * exports word them; this is the one shape all three agree on.
 */

/** The kinds of unit an amendment point can name. */
export type UnitKind = 'bab' | 'bagian' | 'paragraf' | 'pasal' | 'ayat' | 'huruf' | 'angka' | 'lampiran'

/** One step of a unit's address in the base regulation's numbering: Pasal "8A", ayat "2a", huruf "c", BAB "VA". */
export interface UnitStep {
  readonly kind: UnitKind
  readonly number: string
}

/** Outermost first: `[{ kind: 'pasal', number: '5' }, { kind: 'ayat', number: '2' }]` is "ayat (2) Pasal 5". */
export type UnitAddress = readonly UnitStep[]

export type AmendmentAction = 'diubah' | 'disisipkan' | 'ditambahkan' | 'dihapus'

/** A unit quoted in full after "sehingga … berbunyi sebagai berikut:", as ProseMirror JSON of the editor's schema. */
export interface QuotedUnit {
  readonly address: UnitAddress
  readonly node: unknown
}

export interface AmendmentPoint {
  readonly action: AmendmentAction
  /** The units the point names: those changed or deleted, or those inserted or added (with their suffixed numbers). */
  readonly units: readonly UnitAddress[]
  /** For `disisipkan`: the units the new ones go between ("Di antara Pasal 8 dan Pasal 9"). */
  readonly between?: readonly [UnitAddress, UnitAddress]
  /**
   * For `disisipkan` of a Pasal, Bagian or Paragraf: whether the new units follow the first unit of
   * `between` in its BAB or Bagian (`after`, the default) or open the container of the second
   * (`before`: a Pasal inserted at the head of the next BAB). The wording is the same; where the
   * quoted text stands is not.
   */
  readonly anchor?: 'after' | 'before'
  /** `judul` when only the heading of a BAB, Bagian, Paragraf or Lampiran changed. */
  readonly aspect?: 'judul'
  /**
   * What follows "sehingga … berbunyi sebagai berikut:": each unit quoted in full (for a change to
   * an ayat, huruf or angka, its whole Pasal; for a changed judul, the heading alone; for two Pasal
   * inserted at once, both). Absent when whole units are deleted ("Pasal 11 dihapus.").
   */
  readonly quoted?: readonly QuotedUnit[]
}

/** "pasal:8A/ayat:2": one string per address, for maps and comparisons. */
export const addressKey = (address: UnitAddress): string => address.map((step) => `${step.kind}:${step.number}`).join('/')

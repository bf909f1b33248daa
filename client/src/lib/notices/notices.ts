import { STATUS_LABELS, type StatusRecord } from '../../../../shared/agreement.js'
import type { Author } from '../../../../shared/accounts.js'
import type { RestoreNotice } from '../../../../shared/versions.js'
import { formatTime } from '../format.js'

/**
 * What everyone with the draft open should notice, kept as facts (a Pasal by its id, a version by
 * its name) and worded only when shown, so a notice names the Pasal by its number at that moment
 * (SPEC S22): "Pasal 7" becomes "Pasal 8" when a Pasal is inserted before it.
 */
export type Notice =
  | {
      /** An agreed Pasal went back to Dibahas because its text changed. */
      readonly kind: 'demoted'
      readonly id: number
      readonly pasalId: string
      readonly record: StatusRecord
    }
  | {
      /** Someone restored a version: everyone's text changed at once. */
      readonly kind: 'restored'
      readonly id: number
      readonly restore: RestoreNotice
    }
  | {
      /** This person's own edit deleted what live references named: they now point nowhere. Shown to that person only. */
      readonly kind: 'broken-references'
      readonly id: number
    }

/** The number a Pasal has now ("Pasal 8"), or undefined when it is no longer in the draft. */
export type LabelOf = (pasalId: string) => string | undefined

/** At most this many notices at once: a busy meeting must not bury the page in them. */
export const MAX_NOTICES = 3

const person = (author: Author) => (author.bidang ? `${author.name} (${author.bidang})` : author.name)

/** What a notice looks up when it is worded: the number a Pasal has now, and how many references point nowhere now. */
export interface NoticeFacts {
  readonly labelOf: LabelOf
  readonly brokenReferences: number
}

/** The sentence a notice shows, with every Pasal number taken from the numbering now. */
export function noticeText(notice: Notice, { labelOf, brokenReferences }: NoticeFacts, now?: Date): string {
  if (notice.kind === 'broken-references')
    return `Penghapusan Anda membuat ${brokenReferences} rujukan tidak menemukan pasal atau ayat yang dirujuknya. Rujukan itu ditandai merah "rujukan tidak ditemukan": perbaiki atau hapus.`
  if (notice.kind === 'restored') {
    const { version, by } = notice.restore
    return `${person(by)} memulihkan versi "${version.name}" (${formatTime(version.createdAt, { now })}): naskah kini sama dengan versi itu. Isi sebelumnya tersimpan sebagai versi otomatis "Sebelum pemulihan".`
  }
  const last = notice.record.history.at(-1)!
  return `${labelOf(notice.pasalId) ?? 'Sebuah pasal'} kembali ke ${STATUS_LABELS[notice.record.status]}: teksnya diubah oleh ${person(last.by)} setelah disepakati.`
}

/**
 * Whether a notice no longer says anything true: its Pasal's status changed again since (agreed
 * again, say) or its Pasal is gone; or no reference points nowhere any more (mended, or the
 * deletion undone). Such a notice closes by itself.
 */
export function isObsolete(notice: Notice, statuses: ReadonlyMap<string, StatusRecord>, { labelOf, brokenReferences }: NoticeFacts): boolean {
  if (notice.kind === 'broken-references') return brokenReferences === 0
  if (notice.kind !== 'demoted') return false
  const current = statuses.get(notice.pasalId)
  return labelOf(notice.pasalId) === undefined || (current !== undefined && current.history.length > notice.record.history.length)
}

/** Whether `a` and `b` tell of the same thing, so the newer replaces the older: one per Pasal, one on broken references. */
const same = (a: Notice, b: Notice) =>
  a.kind === b.kind && (a.kind === 'broken-references' || (a.kind === 'demoted' && b.kind === 'demoted' && a.pasalId === b.pasalId))

/** `list` with `notice` added: the newest per Pasal, and only the last `MAX_NOTICES`. */
export function addNotice(list: readonly Notice[], notice: Notice): Notice[] {
  const others = notice.kind === 'restored' ? list : list.filter((n) => !same(n, notice))
  return [...others, notice].slice(-MAX_NOTICES)
}

/** Whether a pushed status record is one everyone should be told of: a demotion because the text changed. */
export const isDemotion = (record: StatusRecord) => record.history.at(-1)?.reason === 'teks-diubah'

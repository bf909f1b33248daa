/** Named versions of a draft (snapshots) and who changed what, as the API and the client see them. */

import type { Author } from './accounts.js'

export interface SnapshotMeta {
  readonly id: string
  readonly docId: string
  readonly name: string
  readonly note?: string
  readonly createdAt: string
  readonly author: Author
  /** Taken by the server (periodically while editing, or before a restore), not by a person. */
  readonly auto: boolean
  /** Stored size in bytes (compressed Yjs state). */
  readonly bytes: number
}

/** How one Pasal (or another part) changed between two versions. */
export interface PartChange {
  /** `pasal:<id>`, `bab:<id>`, `pembukaan`, … */
  readonly key: string
  /** "Pasal 12", "Judul BAB II", "Pembukaan": as numbered in the later version (or the earlier, if removed). */
  readonly label: string
  /** The number it had in the earlier version, when different. */
  readonly labelBefore?: string
  readonly kind: 'baru' | 'dihapus' | 'diubah' | 'dipindahkan'
  /** Who made the changes, most first. */
  readonly authors: readonly Author[]
}

export interface Comparison {
  /** ProseMirror JSON of the later version with insertions and deletions marked (`ychange`). */
  readonly content: unknown
  readonly changes: readonly PartChange[]
}

/** The pseudo-id of the live document in comparisons. */
export const CURRENT = 'sekarang'

/** A version as a notice or a comparison names it. */
export type VersionRef = Pick<SnapshotMeta, 'id' | 'name' | 'createdAt' | 'auto'>

/** Who restored which version of a draft, pushed to everyone who has it open (protocol message 106). */
export interface RestoreNotice {
  readonly docId: string
  /** The version whose content the draft now holds. */
  readonly version: VersionRef
  /** The automatic version of what the restore replaced: compared with the draft, it shows what the restore changed. */
  readonly before: VersionRef
  readonly by: Author
  readonly at: string
}

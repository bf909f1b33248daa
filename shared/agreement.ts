import type { Author } from './accounts.js'

/**
 * Agreement per Pasal: the *rapat finalisasi* goes Pasal by Pasal and records whether its
 * substance is agreed. Draf → Dibahas → Disepakati; editing an agreed Pasal sends it back to Dibahas.
 */
export const PASAL_STATUSES = ['draf', 'dibahas', 'disepakati'] as const
export type PasalStatus = (typeof PASAL_STATUSES)[number]

export const isPasalStatus = (value: unknown): value is PasalStatus =>
  typeof value === 'string' && (PASAL_STATUSES as readonly string[]).includes(value)

export const STATUS_LABELS: Record<PasalStatus, string> = { draf: 'Draf', dibahas: 'Dibahas', disepakati: 'Disepakati' }

export interface StatusChange {
  readonly status: PasalStatus
  readonly by: Author
  readonly at: string
  /** Set when the server changed it: the text of an agreed Pasal was edited. */
  readonly reason?: 'teks-diubah'
}

/** The status of one Pasal with its history, oldest first. A Pasal without a record is a Draf. */
export interface StatusRecord {
  readonly docId: string
  readonly pasalId: string
  readonly status: PasalStatus
  readonly history: readonly StatusChange[]
}

/** "18 dari 30 pasal disepakati": counts over the Pasal that exist now. */
export function agreementProgress(pasalIds: readonly string[], statuses: ReadonlyMap<string, StatusRecord>) {
  let agreed = 0
  for (const id of pasalIds) if (statuses.get(id)?.status === 'disepakati') agreed += 1
  return { agreed, total: pasalIds.length }
}

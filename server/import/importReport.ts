import type { ImportReportEntry } from '../../shared/documents.js'

/** What an import did with something it did not take over as it stood (the report's `action`). */
export const ACTION = {
  keptAsText: 'disimpan sebagai teks',
  renumbered: 'dinomori ulang menurut Lampiran II',
  notImported: 'tidak diimpor',
  replaced: 'diganti dengan blok tanda tangan dari data naskah',
  checkMeta: 'periksa di Data naskah',
} as const

/** Where a line stands when the report is read: resolved once the structure (and so every number) is final. */
export type Where = string | (() => string)

/**
 * The import report being written while a file is recognised. Places inside the batang tubuh are
 * given as functions, so that they name the numbers the new draft shows ("Pasal 5 ayat (2)"), which
 * are only known once every Pasal and ayat has been read.
 */
export class ImportReport {
  readonly #entries: Array<{ where: Where; what: string; action: string }> = []

  add(where: Where, what: string, action: string): void {
    this.#entries.push({ where, what, action })
  }

  entries(): ImportReportEntry[] {
    return this.#entries.map(({ where, what, action }) => ({ where: typeof where === 'string' ? where : where(), what, action }))
  }
}

/** A line as the report quotes it: whole when short, else its start. */
export const excerpt = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

import { fetchFile, ApiError } from '../api.js'

/**
 * The print view of a draft: the server's HTML export (the file every other tool prints, with its
 * own page layout), of the live text or of one stored version.
 */
export class PrintView {
  #html = $state<string | null>(null)
  #title = $state<string | null>(null)
  #error = $state<string | null>(null)

  /** Loads the export of `docId` (or of its version `versionId`); a failure is kept in `error`. */
  async load(docId: string, versionId: string | null): Promise<void> {
    const query = new URLSearchParams({ format: 'html' })
    if (versionId) query.set('snapshot', versionId)
    try {
      const html = await (await fetchFile(`/api/docs/${encodeURIComponent(docId)}/export?${query}`, 'Tampilan cetak tidak dapat dimuat')).text()
      this.#title = new DOMParser().parseFromString(html, 'text/html').title || null
      this.#html = html
    } catch (e) {
      this.#error = e instanceof ApiError ? e.message : 'Tampilan cetak tidak dapat dimuat.'
    }
  }

  /** The whole export page; null until loaded. */
  get html(): string | null {
    return this.#html
  }

  /** The draft's title, from the export. */
  get title(): string | null {
    return this.#title
  }

  get error(): string | null {
    return this.#error
  }
}

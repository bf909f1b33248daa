/** Drafts as the API sends them and the server stores them (`v1/meta/<id>`). */

/** A draft the server knows. Documents are created by the server, never by naming a room. */
export interface DocumentRecord {
  readonly id: string
  readonly title: string
  /** ISO 8601. */
  readonly createdAt: string
  /**
   * Random per creation. Browsers key their offline copy by it, so a draft deleted and created
   * again under the same id never merges with an old offline copy.
   */
  readonly epoch: string
}

/** The answer to `POST /api/docs/import`: the new draft, and how much of its structure was recognised. */
export interface ImportedDocument extends DocumentRecord {
  readonly bab: number
  readonly pasal: number
}

import { Node } from 'prosemirror-model'
import type { AmendedRegulation, DraftMeta } from '../../../../shared/documents.js'
import { amendmentArticles, type AmendmentArticles } from '../../../../shared/amendment/articles.js'
import { schema } from '../../../../shared/model/schema.js'
import type { SnapshotMeta } from '../../../../shared/versions.js'
import type { EditorSession } from '../editor/EditorSession.svelte.js'
import { api } from '../api.js'

/**
 * Pasal I and II of an amendment draft, live: the base text (frozen as a version of the draft when
 * it was created) is loaded once and handed to the editor's numbering; the articles follow every
 * change of the text, from here or from anyone else.
 */
export class AmendmentStore {
  readonly #session: EditorSession
  readonly #meta: () => DraftMeta & { readonly amends: AmendedRegulation }
  #base = $state.raw<Node | null>(null)
  #error = $state<string | null>(null)
  /** Recomputed when the document changes, not when only the selection does. */
  readonly #doc = $derived.by(() => this.#session.state?.doc ?? null)
  readonly #articles = $derived.by((): AmendmentArticles | null =>
    this.#base && this.#doc ? amendmentArticles(this.#base, this.#doc, this.#meta()) : null,
  )

  constructor(docId: string, session: EditorSession, meta: () => DraftMeta & { readonly amends: AmendedRegulation }) {
    this.#session = session
    this.#meta = meta
    void this.#load(docId, meta().amends.versionId)
  }

  get base(): Node | null {
    return this.#base
  }
  get articles(): AmendmentArticles | null {
    return this.#articles
  }
  /** Why the base could not be loaded, in Indonesian. */
  get error(): string | null {
    return this.#error
  }

  async #load(docId: string, versionId: string) {
    try {
      const version = await api.get<SnapshotMeta & { content: unknown }>(
        `/api/docs/${encodeURIComponent(docId)}/snapshots/${encodeURIComponent(versionId)}`,
      )
      this.#base = Node.fromJSON(schema, version.content)
      this.#session.numberAgainst(this.#base)
    } catch {
      this.#error = 'Naskah dasar peraturan yang diubah tidak dapat dimuat; Pasal I belum dapat disusun.'
    }
  }
}

import { randomInt } from 'node:crypto'
import * as Y from 'yjs'
import type { Node } from 'prosemirror-model'
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror'
import { schema } from '../../shared/model/schema.js'
import { FRAGMENT, toProsemirror } from '../../shared/model/ydoc.js'
import { numberDocument, type Numbering } from '../../shared/model/numbering.js'
import { placeSuggestion, type Placement } from '../../shared/suggestionAnchor.js'
import type { Suggestion } from '../../shared/suggestions.js'

/** A draft as suggestions are placed on it: its Yjs document and the ProseMirror document it holds. */
export class DraftView {
  readonly ydoc: Y.Doc
  readonly fragment: Y.XmlFragment
  readonly doc: Node
  #numbering: Numbering | null = null

  constructor(ydoc: Y.Doc, doc: Node = toProsemirror(ydoc)) {
    this.ydoc = ydoc
    this.fragment = ydoc.getXmlFragment(FRAGMENT)
    this.doc = doc
  }

  get numbering(): Numbering {
    return (this.#numbering ??= numberDocument(this.doc))
  }

  place(suggestion: Pick<Suggestion, 'kind' | 'anchor'>, search: boolean): Placement {
    return placeSuggestion(suggestion, this.doc, this.numbering, this.ydoc, this.fragment, { search })
  }
}

/**
 * A private copy of a live draft on which an accepted suggestion is made: the change is computed
 * here with y-prosemirror's own diff (as a version restore does), so only what the suggestion
 * changes gets new Yjs items, and the room stores the resulting update before anyone sees it.
 * The copy writes under a Yjs client id the live draft has never seen, so the room records the
 * new content as its author's (attribution.ts): the suggester's, not the server's.
 */
export class WorkingCopy extends DraftView {
  readonly #meta: ReturnType<typeof initProseMirrorDoc>['meta']

  static of(live: Y.Doc): WorkingCopy {
    const ydoc = new Y.Doc()
    while (live.store.clients.has(ydoc.clientID)) ydoc.clientID = randomInt(1, 2 ** 32 - 1)
    Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(live))
    return new WorkingCopy(ydoc)
  }

  private constructor(ydoc: Y.Doc) {
    const { doc, meta } = initProseMirrorDoc(ydoc.getXmlFragment(FRAGMENT), schema)
    super(ydoc, doc)
    this.#meta = meta
  }

  /** The Yjs update that turns the draft into `next` (derived from `this.doc`), or null if nothing changes. */
  updateTo(next: Node): Uint8Array | null {
    const updates: Uint8Array[] = []
    const collect = (update: Uint8Array) => updates.push(update)
    this.ydoc.on('update', collect)
    try {
      updateYFragment(this.ydoc, this.fragment, next, this.#meta)
    } finally {
      this.ydoc.off('update', collect)
    }
    return updates.length > 0 ? Y.mergeUpdates(updates) : null
  }

  destroy() {
    this.ydoc.destroy()
  }
}

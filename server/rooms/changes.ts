import * as Y from 'yjs'

/** What a Pasal's content looks like, without its own attributes (so a moved or re-id'd one compares equal). */
const signatureOf = (pasal: Y.XmlElement) =>
  pasal
    .toArray()
    .map((child) => child.toString())
    .join('')

function pasalAncestor(type: Y.AbstractType<unknown>): Y.XmlElement | null {
  let current: Y.AbstractType<unknown> | null = type
  while (current) {
    if (current instanceof Y.XmlElement && current.nodeName === 'pasal') return current
    const item: Y.Item | null = current._item
    current = item && !item.deleted ? (item.parent as Y.AbstractType<unknown>) : null
  }
  return null
}

/**
 * Tells which Pasal's text a transaction really changed. It keeps each Pasal's content by id and
 * compares: so moving a Pasal (which y-prosemirror may write by rewriting two elements in place) or
 * repairing an id changes nothing, while replacing a Pasal's whole element under the same id does.
 *
 * Typing changes only the text inside a Pasal, which always counts as a change: there the
 * comparison is skipped and the kept content marked stale (null), because rendering a Pasal per
 * keystroke costs time in proportion to its length. A stale Pasal touched by a structural change
 * later counts as changed without comparing; its text was edited since it was last compared anyway.
 */
export class PasalChanges {
  /** Content by Pasal id; null once typing made it stale. */
  readonly #signatures = new Map<string, string | null>()

  constructor(fragment: Y.XmlFragment) {
    const walk = (node: Y.XmlElement | Y.XmlFragment) => {
      for (const child of node.toArray()) {
        if (!(child instanceof Y.XmlElement)) continue
        const id = child.nodeName === 'pasal' ? child.getAttribute('id') : undefined
        if (typeof id === 'string') this.#signatures.set(id, signatureOf(child))
        else walk(child)
      }
    }
    walk(fragment)
  }

  /** The ids of the Pasal whose content the transaction changed. */
  changedBy(transaction: Y.Transaction): Set<string> {
    /** Each Pasal the transaction touched, and whether it only changed text inside it. */
    const candidates = new Map<Y.XmlElement, boolean>()
    for (const [type, keys] of transaction.changed) {
      const contentChanged = type instanceof Y.XmlText || [...keys].some((key) => key === null)
      const pasal = pasalAncestor(type as Y.AbstractType<unknown>)
      if (pasal) {
        // A change inside a Pasal, or to its attributes (a new id after a move).
        candidates.set(pasal, (candidates.get(pasal) ?? true) && type instanceof Y.XmlText)
        continue
      }
      // Children added or removed above Pasal level: any Pasal among them may be new content.
      if (contentChanged && (type instanceof Y.XmlElement || type instanceof Y.XmlFragment)) {
        for (const child of type.toArray()) if (child instanceof Y.XmlElement && child.nodeName === 'pasal') candidates.set(child, false)
      }
    }
    const changed = new Set<string>()
    for (const [pasal, textOnly] of candidates) {
      const id = pasal.getAttribute('id')
      if (typeof id !== 'string') continue
      const before = this.#signatures.get(id)
      if (textOnly && before !== undefined) {
        changed.add(id)
        this.#signatures.set(id, null)
        continue
      }
      const signature = signatureOf(pasal)
      if (before !== signature) {
        if (before !== undefined) changed.add(id)
        this.#signatures.set(id, signature)
      }
    }
    return changed
  }
}

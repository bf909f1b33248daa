import * as Y from 'yjs'

/**
 * The ids of the Pasal whose text a transaction changed: every changed type is walked up to its
 * `pasal` element. Attribute-only changes (ids repaired, a status mark) do not count as text edits.
 */
export function changedPasalIds(transaction: Y.Transaction): Set<string> {
  const ids = new Set<string>()
  for (const [type, keys] of transaction.changed) {
    const contentChanged = type instanceof Y.XmlText || [...keys].some((key) => key === null)
    if (!contentChanged) continue
    let current: Y.AbstractType<unknown> | null = type as Y.AbstractType<unknown>
    while (current) {
      if (current instanceof Y.XmlElement && current.nodeName === 'pasal') {
        const id = current.getAttribute('id')
        if (typeof id === 'string') ids.add(id)
        break
      }
      const item: Y.Item | null = current._item
      current = item && !item.deleted ? (item.parent as Y.AbstractType<unknown>) : null
    }
  }
  return ids
}

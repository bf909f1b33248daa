import { Plugin } from 'prosemirror-state'
import { Fragment, Slice, type Node } from 'prosemirror-model'
import { findIdRepairs } from '../../../../../shared/model/ids.js'
import { unitTypes } from '../../../../../shared/model/schema.js'
import { unitIdsKey } from './keys.js'

function withoutIds(fragment: Fragment): Fragment {
  const nodes: Node[] = []
  fragment.forEach((node) => {
    const content = withoutIds(node.content)
    nodes.push(unitTypes.has(node.type.name) ? node.type.create({ ...node.attrs, id: null }, content, node.marks) : node.copy(content))
  })
  return Fragment.from(nodes)
}

/**
 * Keeps every unit's `id` present and unique (SPEC.md S4): pasted units get fresh ids, split or
 * duplicated units keep the id on the first and get a fresh one on the second, and merged
 * concurrent edits that produced a duplicate are repaired the same deterministic way.
 */
export function unitIdsPlugin(): Plugin {
  return new Plugin({
    key: unitIdsKey,
    props: {
      transformPasted: (slice) => new Slice(withoutIds(slice.content), slice.openStart, slice.openEnd),
    },
    appendTransaction: (transactions, _old, state) => {
      if (!transactions.some((tr) => tr.docChanged)) return null
      const repairs = findIdRepairs(state.doc)
      if (repairs.length === 0) return null
      const tr = state.tr
      for (const { pos, id } of repairs) tr.setNodeAttribute(pos, 'id', id)
      return tr.setMeta('addToHistory', false)
    },
  })
}

import type { Node } from 'prosemirror-model'
import { unitTypes } from './schema.js'

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'
const ID_LENGTH = 12

/**
 * A fresh unit id: 12 base-36 characters (62 bits) from `crypto.getRandomValues`, which, unlike
 * `crypto.randomUUID`, also exists on a plain-http office-network origin (not a secure context).
 */
export function createId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(ID_LENGTH))
  let id = ''
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length]
  return id
}

export interface IdRepair {
  readonly pos: number
  readonly id: string
}

/**
 * The id changes that make every unit's id present and unique: a unit without an id gets one, and
 * of two units sharing an id the first in document order keeps it (so the original keeps its
 * comments when a Pasal is split, duplicated or pasted back in). Empty when nothing needs fixing.
 */
export function findIdRepairs(doc: Node, makeId: () => string = createId): IdRepair[] {
  const seen = new Set<string>()
  const repairs: IdRepair[] = []
  doc.descendants((node, pos) => {
    if (!unitTypes.has(node.type.name)) return node.type.name !== 'teks'
    const id = node.attrs.id as string | null
    if (id && !seen.has(id)) {
      seen.add(id)
    } else {
      let fresh = makeId()
      while (seen.has(fresh)) fresh = makeId()
      seen.add(fresh)
      repairs.push({ pos, id: fresh })
    }
    return true
  })
  return repairs
}

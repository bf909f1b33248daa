import { Fragment, type Node } from 'prosemirror-model'

/**
 * Drafts stored before the metadata (issue 14) held as typed text what is now drawn from the
 * metadata (wording.ts): the kind and region above the judul, the jabatan pembentuk, Menetapkan and
 * the order to promulgate. `upgradeDocument` takes them out, so nothing is said twice and nothing
 * names a region the metadata does not (SPEC S17). The server runs it once on every stored draft
 * (documents/upgrade.ts) and on every version it reads.
 */

/** The node types that only old drafts hold. */
const LEGACY_TYPES: ReadonlySet<string> = new Set(['judulJenis', 'jabatan', 'diktum'])
/** The order to promulgate, as the template, the sample and imports typed it. */
const TYPED_ORDER = /^\s*Agar setiap orang mengetahuinya\b/

const isLegacy = (node: Node, parent: Node) =>
  LEGACY_TYPES.has(node.type.name) || (parent.type.name === 'penutup' && node.type.name === 'teks' && TYPED_ORDER.test(node.textContent))

/** Whether `doc` still holds parts that are now drawn from the metadata. */
export function isLegacyDocument(doc: Node): boolean {
  let found = false
  doc.forEach((part) => part.forEach((child) => (found ||= isLegacy(child, part))))
  return found
}

/** `doc` without the parts that are now drawn from the metadata; `doc` itself when it has none. */
export function upgradeDocument(doc: Node): Node {
  if (!isLegacyDocument(doc)) return doc
  const parts: Node[] = []
  doc.forEach((part) => {
    const kept: Node[] = []
    part.forEach((child) => {
      if (!isLegacy(child, part)) kept.push(child)
    })
    parts.push(part.copy(Fragment.from(kept)))
  })
  return doc.copy(Fragment.from(parts))
}

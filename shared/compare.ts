import * as Y from 'yjs'
import { Fragment, type Node } from 'prosemirror-model'
import { Transform } from 'prosemirror-transform'
import { schema } from './model/schema.js'
import { numberDocument } from './model/numbering.js'
import { FRAGMENT } from './model/ydoc.js'
import { diffWords, tokenize } from './diff.js'
import { bidangColor } from './presence.js'
import { authorKey, type Author } from './accounts.js'
import type { Comparison, PartChange } from './versions.js'

/**
 * Compares two versions of a draft: what was inserted and deleted, part by part (each Pasal by
 * its id, so moves and renumbering are recognised), and who did it. Insertions are attributed by
 * the Yjs client id of the inserted characters, deletions by the stored update that deleted them;
 * both maps are recorded by the server when it stores updates, so they survive restarts.
 */

/** A version: its Yjs document and the ProseMirror document it holds. */
export interface Version {
  readonly ydoc: Y.Doc
  readonly doc: Node
}

export interface AttributionIndex {
  insertedBy(id: Y.ID): Author | undefined
  deletedBy(id: Y.ID): Author | undefined
}

/** Indexes the stored attribution (client id owners, deleting updates) for lookups by item id. */
export function attributionIndex(
  authors: ReadonlyMap<number, Author>,
  deletions: ReadonlyArray<{ author: Author; update: Uint8Array }>,
): AttributionIndex {
  const sets = deletions.map(({ author, update }) => ({ author, ds: Y.decodeUpdate(update).ds }))
  return {
    insertedBy: (id) => authors.get(id.client),
    // The first update that deleted an item is its deleter; later ones only repeated it.
    deletedBy: (id) => sets.find((set) => Y.isDeleted(set.ds, id))?.author,
  }
}

/** A comparable part of the document: a Pasal, a heading of BAB/Bagian/Paragraf, or a fixed part. */
interface Part {
  readonly key: string
  readonly kind: string
  readonly pos: number
  readonly node: Node
  readonly label: string
  /** Text blocks that belong to this part (not to a nested part). */
  readonly blocks: ReadonlyArray<{ readonly pos: number; readonly node: Node }>
}

const FIXED: Record<string, string> = { judul: 'Judul', pembukaan: 'Pembukaan', penutup: 'Penutup' }
const HEADED = new Set(['bab', 'bagian', 'paragraf'])

function partsOf(doc: Node): Map<string, Part> {
  const labels = numberDocument(doc).labels
  const labelAt = new Map(labels.map((l) => [l.pos, l.label]))
  const parts = new Map<string, Part>()
  doc.descendants((node, pos) => {
    const name = node.type.name
    if (FIXED[name]) {
      const blocks: Array<{ pos: number; node: Node }> = []
      node.descendants((child, offset) => {
        if (child.isTextblock) blocks.push({ pos: pos + 1 + offset, node: child })
        return !child.isTextblock
      })
      parts.set(name, { key: name, kind: name, pos, node, label: FIXED[name]!, blocks })
      return false
    }
    if (name === 'pasal' && node.attrs.id) {
      const blocks: Array<{ pos: number; node: Node }> = []
      node.descendants((child, offset) => {
        if (child.isTextblock) blocks.push({ pos: pos + 1 + offset, node: child })
        return !child.isTextblock
      })
      parts.set(`pasal:${node.attrs.id}`, { key: `pasal:${node.attrs.id}`, kind: name, pos, node, label: labelAt.get(pos) ?? 'Pasal', blocks })
      return false
    }
    if (HEADED.has(name) && node.attrs.id) {
      const heading = node.firstChild
      const blocks = heading?.isTextblock ? [{ pos: pos + 1, node: heading }] : []
      parts.set(`${name}:${node.attrs.id}`, { key: `${name}:${node.attrs.id}`, kind: name, pos, node, label: labelAt.get(pos) ?? name, blocks })
    }
    return true
  })
  return parts
}

/** The Yjs id of every character of a text block (null for an inline node), by walking the same path. */
function blockIds(version: Version, blockPos: number): Array<Y.ID | null> {
  const $pos = version.doc.resolve(blockPos + 1)
  let type: Y.XmlElement | Y.XmlFragment = version.ydoc.getXmlFragment(FRAGMENT)
  for (let depth = 0; depth < $pos.depth; depth++) {
    const child: unknown = type.get($pos.index(depth))
    if (!(child instanceof Y.XmlElement)) return []
    type = child
  }
  const ids: Array<Y.ID | null> = []
  for (const child of type.toArray()) {
    if (child instanceof Y.XmlText) {
      for (let item = child._start; item !== null; item = item.right) {
        if (item.deleted || !item.countable) continue
        for (let k = 0; k < item.length; k++) ids.push(Y.createID(item.id.client, item.id.clock + k))
      }
    } else {
      ids.push(child._item ? child._item.id : null)
    }
  }
  return ids
}

/** A part's text (blocks joined by newlines) with the Yjs id of each character. */
function partText(version: Version, part: Part): { text: string; ids: Array<Y.ID | null>; starts: number[] } {
  let text = ''
  const ids: Array<Y.ID | null> = []
  const starts: number[] = []
  part.blocks.forEach((block, i) => {
    if (i > 0) {
      text += '\n'
      ids.push(null)
    }
    starts.push(text.length)
    const blockText = block.node.textBetween(0, block.node.content.size, undefined, '\ufffc')
    const blockIdList = blockIds(version, block.pos)
    text += blockText
    for (let k = 0; k < blockText.length; k++) ids.push(blockIdList[k] ?? null)
  })
  return { text, ids, starts }
}

/** Counts authors over a range of character ids and returns them, most first. */
function rankAuthors(ids: ReadonlyArray<Y.ID | null>, lookup: (id: Y.ID) => Author | undefined): Author[] {
  const counts = new Map<string, { author: Author; count: number }>()
  for (const id of ids) {
    const author = id ? lookup(id) : undefined
    if (!author) continue
    const entry = counts.get(authorKey(author)) ?? { author, count: 0 }
    entry.count += 1
    counts.set(authorKey(author), entry)
  }
  return [...counts.values()].sort((a, b) => b.count - a.count).map((e) => e.author)
}

const UNKNOWN: Author = { username: '', name: 'Tidak diketahui', bidang: '' }

function changeMark(type: 'added' | 'removed', author: Author | undefined) {
  const who = author ?? UNKNOWN
  return schema.marks.ychange!.create({
    type,
    user: who.bidang ? `${who.name} · ${who.bidang}` : who.name,
    color: who.bidang ? bidangColor(who.bidang) : '#64748b',
  })
}

interface Run {
  start: number
  end: number
  author: Author | undefined
  /** Part of the change by Yjs identity (not text that merely lines up differently). */
  changed: boolean
}

/**
 * Splits a run of characters by author and by whether each really changed. A word diff can line
 * up text differently from how it was typed, so a word whose Yjs items all exist on both sides is
 * shown as unchanged. The decision is per word, not per character: typing "P" before "Peta" may
 * reach Yjs as a new "P" after the old one, and "Persandian" is still one new word. Characters
 * that belong to a changed word but not to its author (or have no recorded author) take their
 * neighbour's.
 */
function byAuthor(
  text: string,
  start: number,
  end: number,
  ids: ReadonlyArray<Y.ID | null>,
  lookup: (id: Y.ID) => Author | undefined,
  isChange: (id: Y.ID) => boolean,
): Run[] {
  const changed: boolean[] = []
  for (const token of tokenize(text.slice(start, end))) {
    const offset = start + changed.length
    const tokenChanged = ids.slice(offset, offset + token.length).some((id) => !id || isChange(id))
    for (let k = 0; k < token.length; k++) changed.push(tokenChanged)
  }
  const runs: Run[] = []
  for (let i = start; i < end; i++) {
    const id = ids[i]
    const isChanged = changed[i - start] ?? true
    const author = id && isChanged && isChange(id) ? lookup(id) : undefined
    const last = runs.at(-1)
    if (last && last.changed === isChanged && (!isChanged || !author || !last.author || last.author.username === author.username)) {
      last.end = i + 1
      last.author ??= author
    } else {
      runs.push({ start: i, end: i + 1, author, changed: isChanged })
    }
  }
  runs.forEach((run, i) => {
    if (run.changed && !run.author) run.author = runs[i - 1]?.author ?? runs[i + 1]?.author
  })
  return runs
}

/** The inline content of part `block` between text offsets, with its marks. */
function sliceBlock(block: Node, from: number, to: number): Node[] {
  const out: Node[] = []
  block.content.cut(from, to).forEach((node) => out.push(node))
  return out
}

/**
 * Rebuilds the text blocks of a changed part: equal text as it is, inserted text marked "added" by
 * its author, deleted text (from the earlier version) marked "removed" by whoever deleted it.
 */
function annotateBlocks(
  tr: Transform,
  afterPart: Part,
  after: ReturnType<typeof partText>,
  beforePart: Part,
  before: ReturnType<typeof partText>,
  index: AttributionIndex,
  visible: { readonly before: (id: Y.ID) => boolean; readonly after: (id: Y.ID) => boolean },
): { inserted: Array<Y.ID | null>; deleted: Array<Y.ID | null> } {
  const ops = diffWords(before.text, after.text)
  const pieces: Node[][] = afterPart.blocks.map(() => [])
  const inserted: Array<Y.ID | null> = []
  const deleted: Array<Y.ID | null> = []
  const blockOf = (offset: number, starts: number[]) => {
    let b = 0
    while (b + 1 < starts.length && starts[b + 1]! <= offset) b++
    return b
  }
  /**
   * Emits after-text [from, to) into its blocks. In an insertion, a character is marked new only if
   * its Yjs item is new too: the word diff can line texts up differently from how they were typed.
   * (Equal text is never marked, even when its items are new: that is text moved by a split.)
   */
  const emitAfter = (from: number, to: number, inserted: boolean) => {
    let offset = from
    while (offset < to) {
      if (after.text[offset] === '\n') {
        offset++
        continue
      }
      const b = blockOf(offset, after.starts)
      const blockEnd = b + 1 < after.starts.length ? after.starts[b + 1]! - 1 : after.text.length
      const end = Math.min(to, blockEnd)
      const block = afterPart.blocks[b]!.node
      const base = after.starts[b]!
      for (const run of byAuthor(after.text, offset, end, after.ids, index.insertedBy, (id) => inserted && !visible.before(id))) {
        const nodes = sliceBlock(block, run.start - base, run.end - base)
        if (!run.changed) {
          pieces[b]!.push(...nodes)
          continue
        }
        const mark = changeMark('added', run.author)
        for (const node of nodes) pieces[b]!.push(node.mark(mark.addToSet(node.marks)))
      }
      offset = end
    }
  }
  let a = 0
  let bOffset = 0
  for (const op of ops) {
    const length = op.text.length
    if (op.type === 'equal') {
      emitAfter(a, a + length, false)
      a += length
      bOffset += length
    } else if (op.type === 'insert') {
      emitAfter(a, a + length, true)
      inserted.push(...after.ids.slice(a, a + length).filter((id) => id && !visible.before(id)))
      a += length
    } else {
      // Deleted text goes where it was: at the current place in the later text.
      const target = Math.min(blockOf(Math.max(0, a - (after.text[a - 1] === '\n' ? 1 : 0)), after.starts), pieces.length - 1)
      for (const run of byAuthor(before.text, bOffset, bOffset + length, before.ids, index.deletedBy, (id) => !visible.after(id))) {
        // Still present in the later text (lined up elsewhere by the diff): nothing was deleted here.
        if (!run.changed) continue
        const mark = changeMark('removed', run.author)
        let offset = run.start
        while (offset < run.end) {
          if (before.text[offset] === '\n') {
            if (target >= 0) pieces[target]!.push(schema.text(' ', [mark]))
            offset++
            continue
          }
          const b = blockOf(offset, before.starts)
          const blockEnd = Math.min(run.end, b + 1 < before.starts.length ? before.starts[b + 1]! - 1 : before.text.length)
          const base = before.starts[b]!
          if (target >= 0)
            for (const node of sliceBlock(beforePart.blocks[b]!.node, offset - base, blockEnd - base))
              pieces[target]!.push(node.mark(mark.addToSet(node.marks)))
          offset = blockEnd
        }
      }
      deleted.push(...before.ids.slice(bOffset, bOffset + length).filter((id) => id && !visible.after(id)))
      bOffset += length
    }
  }
  // Replace from the last block backwards so earlier positions stay valid.
  for (let b = afterPart.blocks.length - 1; b >= 0; b--) {
    const block = afterPart.blocks[b]!
    const start = tr.mapping.map(block.pos + 1)
    const end = tr.mapping.map(block.pos + 1 + block.node.content.size)
    tr.replaceWith(start, end, Fragment.from(pieces[b]!))
  }
  return { inserted, deleted }
}

/** Pasal ids in document order, for detecting moves. */
const pasalOrder = (parts: Map<string, Part>) => [...parts.values()].filter((p) => p.kind === 'pasal').map((p) => p.key)

/** Keys in `before` order that keep their relative order in `after` (longest common subsequence). */
function unmoved(before: string[], after: string[]): Set<string> {
  const inAfter = new Set(after)
  const a = before.filter((k) => inAfter.has(k))
  const position = new Map(after.map((k, i) => [k, i]))
  const seq = a.map((k) => position.get(k)!)
  // Longest increasing subsequence of positions, O(n log n).
  const tails: number[] = []
  const tailIndex: number[] = []
  const previous: number[] = new Array(seq.length).fill(-1)
  seq.forEach((value, i) => {
    let lo = 0
    let hi = tails.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (tails[mid]! < value) lo = mid + 1
      else hi = mid
    }
    tails[lo] = value
    tailIndex[lo] = i
    previous[i] = lo > 0 ? tailIndex[lo - 1]! : -1
  })
  const keep = new Set<string>()
  for (let i = tailIndex[tails.length - 1] ?? -1; i >= 0; i = previous[i]!) keep.add(a[i]!)
  return keep
}

export function compareVersions(before: Version, after: Version, index: AttributionIndex): Comparison {
  const beforeParts = partsOf(before.doc)
  const afterParts = partsOf(after.doc)
  const tr = new Transform(after.doc)
  const changes: Array<PartChange & { order: number }> = []
  const stayed = unmoved(pasalOrder(beforeParts), pasalOrder(afterParts))
  const visibleBefore = visibility(before)
  const visibleAfter = visibility(after)

  for (const part of afterParts.values()) {
    const old = beforeParts.get(part.key)
    if (!old) {
      // New part: the whole node is marked, by whoever created its element.
      const item = elementItem(after, part.pos)
      const author = item ? index.insertedBy(item.id) : undefined
      const text = partText(after, part)
      const authors = rankAuthors(text.ids, index.insertedBy)
      const who = author ?? authors[0]
      tr.setNodeMarkup(tr.mapping.map(part.pos), undefined, { ...part.node.attrs, ychange: changeAttr('added', who) })
      changes.push({ key: part.key, label: part.label, kind: 'baru', authors: who ? dedupe([who, ...authors]) : authors, order: part.pos })
      continue
    }
    const afterText = partText(after, part)
    const beforeText = partText(before, old)
    const moved = part.kind === 'pasal' && !stayed.has(part.key)
    const relabelled = old.label !== part.label ? { labelBefore: old.label } : {}
    if (afterText.text === beforeText.text && sameMarks(old, part)) {
      if (moved) {
        // A move re-creates the Pasal (or rewrites the element that now holds it): whoever wrote
        // the content that is new since the earlier version moved it.
        const item = elementItem(after, part.pos)
        const byElement = item && !visibleBefore(item.id) ? index.insertedBy(item.id) : undefined
        const authors = dedupe([
          ...(byElement ? [byElement] : []),
          ...rankAuthors(
            afterText.ids.filter((id) => id && !visibleBefore(id)),
            index.insertedBy,
          ),
        ])
        tr.setNodeMarkup(tr.mapping.map(part.pos), undefined, { ...part.node.attrs, ychange: changeAttr('moved', authors[0]) })
        changes.push({ key: part.key, label: part.label, ...relabelled, kind: 'dipindahkan', authors, order: part.pos })
      }
      continue
    }
    const { inserted, deleted } = annotateBlocks(tr, part, afterText, old, beforeText, index, { before: visibleBefore, after: visibleAfter })
    const authors = dedupe([...rankAuthors(inserted, index.insertedBy), ...rankAuthors(deleted, index.deletedBy)])
    if (moved) {
      const item = elementItem(after, part.pos)
      tr.setNodeAttribute(tr.mapping.map(part.pos), 'ychange', changeAttr('moved', item ? index.insertedBy(item.id) : undefined))
    }
    changes.push({ key: part.key, label: part.label, ...relabelled, kind: moved ? 'dipindahkan' : 'diubah', authors, order: part.pos })
  }

  // Removed parts are shown where they were: after the nearest earlier part that still exists.
  const removed = [...beforeParts.values()].filter((part) => !afterParts.has(part.key))
  const removedKeys = new Set(removed.map((p) => p.key))
  for (const part of removed) {
    const ids = partText(before, part).ids
    const authors = rankAuthors(ids, index.deletedBy)
    const insideRemoved = [...removedKeys].some((key) => key !== part.key && isInside(beforeParts.get(key)!, part))
    const at = insideRemoved || FIXED[part.kind] ? null : removalPosition(part, beforeParts, afterParts, tr)
    if (at !== null) {
      const node = part.node.type.create(
        { ...part.node.attrs, ychange: { ...changeAttr('removed', authors[0]), label: part.label } },
        part.node.content,
      )
      tr.insert(at, node)
    }
    changes.push({ key: part.key, label: part.label, kind: 'dihapus', authors, order: at === null ? Number.MAX_SAFE_INTEGER : at })
  }

  changes.sort((a, b) => a.order - b.order)
  return { content: tr.doc.toJSON(), changes: changes.map(({ order: _order, ...change }) => change) }
}

/** Whether an item (by id) is present and not deleted in a version. */
function visibility(version: Version): (id: Y.ID) => boolean {
  const sv = Y.decodeStateVector(Y.encodeStateVector(version.ydoc))
  const ds = Y.createDeleteSetFromStructStore(version.ydoc.store)
  return (id) => id.clock < (sv.get(id.client) ?? 0) && !Y.isDeleted(ds, id)
}

function changeAttr(type: 'added' | 'removed' | 'moved', author: Author | undefined) {
  const who = author ?? UNKNOWN
  return { type, user: who.bidang ? `${who.name} · ${who.bidang}` : who.name, color: who.bidang ? bidangColor(who.bidang) : '#64748b' }
}

const dedupe = (authors: Author[]) => [...new Map(authors.map((a) => [authorKey(a), a])).values()]

/** Whether the marks (emphasis) of two versions of a part differ, when the text is the same. */
const sameMarks = (a: Part, b: Part) => a.blocks.length === b.blocks.length && a.blocks.every((block, i) => block.node.eq(b.blocks[i]!.node))

const isInside = (outer: Part, inner: Part) => outer.pos < inner.pos && inner.pos < outer.pos + outer.node.nodeSize

/** The Yjs item of the element at a ProseMirror position (walking the same path). */
function elementItem(version: Version, pos: number): Y.Item | null {
  const $pos = version.doc.resolve(pos)
  let type: Y.XmlElement | Y.XmlFragment = version.ydoc.getXmlFragment(FRAGMENT)
  // Indices down to the parent, then the node's own index in it.
  for (let depth = 0; depth <= $pos.depth; depth++) {
    const child: unknown = type.get($pos.index(depth))
    if (!(child instanceof Y.XmlElement)) return null
    type = child
  }
  return type instanceof Y.XmlElement ? type._item : null
}

/** Where a removed part goes in the annotated later version, or null to leave it to the summary. */
function removalPosition(part: Part, beforeParts: Map<string, Part>, afterParts: Map<string, Part>, tr: Transform): number | null {
  const siblings = [...beforeParts.values()].filter((p) => p.kind === part.kind).sort((a, b) => a.pos - b.pos)
  const index = siblings.indexOf(part)
  for (let i = index - 1; i >= 0; i--) {
    const kept = afterParts.get(siblings[i]!.key)
    if (kept) return tr.mapping.map(kept.pos + kept.node.nodeSize)
  }
  for (let i = index + 1; i < siblings.length; i++) {
    const kept = afterParts.get(siblings[i]!.key)
    if (kept) return tr.mapping.map(kept.pos, -1)
  }
  return null
}

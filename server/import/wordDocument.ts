import { attribute, child, children, elements, parseXml, type XmlElement } from './wordXml.js'
import { decodeNumbering, WordNumbering } from './wordNumbering.js'

/**
 * The body of a Word file as a drafter sees it: paragraphs with the label Word's numbering shows in
 * front of them and their text split where a line break (`w:br`, `w:cr`) is, tables as rows of cells,
 * in document order. Tabs are spaces; deleted tracked changes and field codes are not text.
 */

export interface SourceParagraph {
  readonly kind: 'paragraph'
  /** What Word's automatic numbering shows before the text ("a.", "(2)"); null when not numbered. */
  readonly label: string | null
  /** The text between line breaks; one entry for a paragraph without breaks. */
  readonly segments: readonly string[]
}

export interface SourceTable {
  readonly kind: 'table'
  /** Rows of cells, each cell its paragraphs. */
  readonly rows: ReadonlyArray<ReadonlyArray<readonly SourceParagraph[]>>
}

export type SourceBlock = SourceParagraph | SourceTable

export interface SourceDocument {
  readonly blocks: readonly SourceBlock[]
  /** Pictures, shapes and embedded objects, which carry no text we can read. */
  readonly figures: number
}

/** The XML parts that hold a document's text and numbering, as read from the vetted archive. */
export interface WordParts {
  readonly document: string
  readonly numbering?: string | undefined
  readonly styles?: string | undefined
}

const RELATIONSHIP = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/'

/** The targets of a relationships part by type ("officeDocument", "numbering", "styles"), resolved against `base`. */
function relationships(text: string | undefined, base: string): Map<string, string> {
  const targets = new Map<string, string>()
  for (const rel of children(text ? parseXml(text) : null, 'Relationship')) {
    const type = attribute(rel, 'Type')
    const target = attribute(rel, 'Target')
    if (!type?.startsWith(RELATIONSHIP) || !target || attribute(rel, 'TargetMode') === 'External') continue
    const path = target.startsWith('/') ? target.slice(1) : `${base}${target}`
    // Normalise "word/../x" so that a part is named as the zip names it.
    const parts: string[] = []
    for (const segment of path.split('/')) {
      if (segment === '..') parts.pop()
      else if (segment !== '.') parts.push(segment)
    }
    targets.set(type.slice(RELATIONSHIP.length), parts.join('/'))
  }
  return targets
}

/**
 * The parts of a Word file that hold its text and numbering, found as Word finds them: the main
 * document through `_rels/.rels`, numbering and styles through the document's own relationships.
 * Undefined when the file has no main document.
 */
export function findWordParts(files: ReadonlyMap<string, Uint8Array>): WordParts | undefined {
  const decoder = new TextDecoder()
  const text = (name: string | undefined) => {
    const bytes = name === undefined ? undefined : files.get(name)
    return bytes && decoder.decode(bytes)
  }
  const main = relationships(text('_rels/.rels'), '').get('officeDocument') ?? 'word/document.xml'
  const document = text(main)
  if (document === undefined) return undefined
  const folder = main.slice(0, main.lastIndexOf('/') + 1)
  const own = relationships(text(`${folder}_rels/${main.slice(folder.length)}.rels`), folder)
  return { document, numbering: text(own.get('numbering')), styles: text(own.get('styles')) }
}

/** Containers whose content is read as if it stood in their place. */
const TRANSPARENT = new Set(['hyperlink', 'ins', 'smartTag', 'sdt', 'sdtContent', 'fldSimple', 'customXml', 'moveTo', 'dir', 'bdo'])
const FIGURES = new Set(['drawing', 'pict', 'object'])

interface StyleNumbering {
  readonly numId: string | null
  readonly ilvl: number | null
  readonly basedOn: string | null
}

function decodeStyles(root: XmlElement | null): Map<string, StyleNumbering> {
  const styles = new Map<string, StyleNumbering>()
  for (const style of children(root, 'style')) {
    const id = attribute(style, 'styleId')
    if (id === null || attribute(style, 'type') !== 'paragraph') continue
    const numPr = child(child(style, 'pPr'), 'numPr')
    const ilvl = attribute(child(numPr, 'ilvl'), 'val')
    styles.set(id, {
      numId: attribute(child(numPr, 'numId'), 'val'),
      ilvl: ilvl === null ? null : Number.parseInt(ilvl, 10),
      basedOn: attribute(child(style, 'basedOn'), 'val'),
    })
  }
  return styles
}

/** Reads the parts into blocks. Throws RangeError for XML that is not a Word body. */
export function readWordDocument(parts: WordParts): SourceDocument {
  const root = parseXml(parts.document)
  const body = child(root, 'body')
  if (!root || root.name !== 'document' || !body) throw new RangeError('word/document.xml has no w:document/w:body')
  const numbering = new WordNumbering(decodeNumbering(parts.numbering ? parseXml(parts.numbering) : null))
  const styles = decodeStyles(parts.styles ? parseXml(parts.styles) : null)
  let figures = 0

  /** The list and level of a paragraph: its own, else its style's (following basedOn, at most 10 deep). */
  const numberingOf = (pPr: XmlElement | null): { numId: string; ilvl: number } | null => {
    const own = child(pPr, 'numPr')
    let numId = attribute(child(own, 'numId'), 'val')
    const ownLevel = attribute(child(own, 'ilvl'), 'val')
    let ilvl = ownLevel === null ? null : Number.parseInt(ownLevel, 10)
    let styleId = attribute(child(pPr, 'pStyle'), 'val')
    for (let depth = 0; styleId !== null && depth < 10 && (numId === null || ilvl === null); depth++) {
      const style = styles.get(styleId)
      if (!style) break
      numId ??= style.numId
      ilvl ??= style.ilvl
      styleId = style.basedOn
    }
    return numId === null || numId === '0' ? null : { numId, ilvl: Number.isFinite(ilvl) ? ilvl! : 0 }
  }

  const paragraph = (p: XmlElement): SourceParagraph => {
    const numbered = numberingOf(child(p, 'pPr'))
    const segments = ['']
    const add = (text: string) => (segments[segments.length - 1] += text)
    const inline = (element: XmlElement) => {
      for (const node of elements(element)) {
        if (node.name === 'r') run(node)
        else if (TRANSPARENT.has(node.name)) inline(node)
        else if (node.name === 'AlternateContent') figures += 1
      }
    }
    const run = (r: XmlElement) => {
      for (const node of elements(r)) {
        if (node.name === 't') add(node.children.filter((c) => typeof c === 'string').join(''))
        else if (node.name === 'tab' || node.name === 'ptab') add(' ')
        else if (node.name === 'br' || node.name === 'cr') segments.push('')
        else if (node.name === 'noBreakHyphen') add('-')
        else if (FIGURES.has(node.name) || node.name === 'AlternateContent') figures += 1
      }
    }
    inline(p)
    return { kind: 'paragraph', label: numbered ? numbering.labelOf(numbered.numId, numbered.ilvl) : null, segments }
  }

  const table = (tbl: XmlElement): SourceTable => ({
    kind: 'table',
    rows: children(tbl, 'tr').map((tr) =>
      children(tr, 'tc').map((tc) => {
        const cell: SourceParagraph[] = []
        // A table nested in a cell is read as its paragraphs, row by row.
        for (const block of blocks(tc)) cell.push(...(block.kind === 'paragraph' ? [block] : block.rows.flat(2)))
        return cell
      }),
    ),
  })

  const blocks = (parent: XmlElement): SourceBlock[] => {
    const out: SourceBlock[] = []
    for (const node of elements(parent)) {
      if (node.name === 'p') out.push(paragraph(node))
      else if (node.name === 'tbl') out.push(table(node))
      else if (TRANSPARENT.has(node.name)) out.push(...blocks(node))
    }
    return out
  }

  const read = blocks(body)
  return { blocks: read, figures }
}

import { createRequire } from 'node:module'
import { Refusal } from '../refusal.js'

/**
 * The tracked changes ("Lacak Perubahan") of a Word document, read from its `word/document.xml`:
 * per paragraph, the text as runs that are unchanged, inserted (`w:ins`, `w:moveTo`) or deleted
 * (`w:del`, `w:moveFrom`), each change with its `w:author` and `w:date`. Formatting changes
 * (`w:rPrChange`, `w:pPrChange`) change no wording and are not read.
 */

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'

/** Who changed a piece of text in Word, and when (as Word wrote it; may be empty). */
export interface WordRevision {
  readonly kind: 'ins' | 'del'
  readonly author: string
  readonly date: string
}

export interface WordSegment {
  readonly text: string
  readonly change?: WordRevision
}

export interface WordParagraph {
  readonly segments: readonly WordSegment[]
}

/** The text of a paragraph as it was (deletions in, insertions out) and as it is now. */
export const beforeText = (p: WordParagraph) => p.segments.map((s) => (s.change?.kind === 'ins' ? '' : s.text)).join('')
export const afterText = (p: WordParagraph) => p.segments.map((s) => (s.change?.kind === 'del' ? '' : s.text)).join('')

/**
 * The few parts of a DOM node read here. @xmldom/xmldom is loaded untyped on purpose: its type
 * declarations pull the browser DOM library into the whole server program, shared code included.
 */
interface XmlNode {
  readonly nodeType: number
  readonly localName: string | null
  readonly namespaceURI: string | null
  readonly nodeValue: string | null
  readonly childNodes: ArrayLike<XmlNode>
  getAttributeNS?(namespace: string, name: string): string | null
}
interface XmlDom {
  DOMParser: new (options: { errorHandler: Record<'warning' | 'error' | 'fatalError', (message: string) => void> }) => {
    parseFromString(source: string, type: string): { documentElement: XmlNode | null }
  }
}
const { DOMParser } = createRequire(import.meta.url)('@xmldom/xmldom') as XmlDom

const ELEMENT = 1
const TEXT = 3
const isW = (node: XmlNode, name: string) => node.nodeType === ELEMENT && node.namespaceURI === W && node.localName === name
const children = (node: XmlNode) => Array.from(node.childNodes)
const unreadable = () => new Refusal('unreadable', 'Isi berkas Word (word/document.xml) tidak dapat dibaca; mungkin rusak.')

/** Elements whose content is not the paragraph's text: properties, and deleted or changed formatting. */
const SKIPPED = new Set([
  'pPr',
  'rPr',
  'sectPr',
  'tblPr',
  'trPr',
  'tcPr',
  'fldChar',
  'instrText',
  'delInstrText',
  'footnoteReference',
  'endnoteReference',
])
const INSERTED = new Set(['ins', 'moveTo'])
const DELETED = new Set(['del', 'moveFrom'])

function revisionOf(node: XmlNode, kind: WordRevision['kind']): WordRevision {
  return { kind, author: (node.getAttributeNS?.(W, 'author') ?? '').trim(), date: node.getAttributeNS?.(W, 'date') ?? '' }
}

/** The segments of one paragraph, in order; adjacent segments with the same change are joined. */
function segmentsOf(paragraph: XmlNode): WordSegment[] {
  const segments: WordSegment[] = []
  const push = (text: string, change: WordRevision | undefined) => {
    const last = segments.at(-1)
    const same = last && last.change?.kind === change?.kind && last.change?.author === change?.author && last.change?.date === change?.date
    if (same) segments[segments.length - 1] = { ...last, text: last.text + text }
    else segments.push(change ? { text, change } : { text })
  }
  const walk = (node: XmlNode, change: WordRevision | undefined) => {
    for (const child of children(node)) {
      if (child.nodeType !== ELEMENT || child.namespaceURI !== W) {
        // Other vocabularies (smart tags, content controls of add-ins) may wrap runs.
        if (child.nodeType === ELEMENT) walk(child, change)
        continue
      }
      const name = child.localName!
      if (SKIPPED.has(name) || name === 'p') continue
      if (INSERTED.has(name)) walk(child, revisionOf(child, 'ins'))
      else if (DELETED.has(name)) walk(child, revisionOf(child, 'del'))
      else if (name === 't' || name === 'delText') push(textOf(child), change)
      else if (name === 'tab') push('\t', change)
      else if (name === 'br' || name === 'cr') push('\n', change)
      else if (name === 'noBreakHyphen') push('\u2011', change)
      else walk(child, change)
    }
  }
  walk(paragraph, undefined)
  return segments
}

const textOf = (node: XmlNode) =>
  children(node)
    .filter((child) => child.nodeType === TEXT)
    .map((child) => child.nodeValue ?? '')
    .join('')

/** Every paragraph of the document body in order, those in tables included (not those nested in text boxes). */
function paragraphsOf(node: XmlNode, out: XmlNode[]) {
  for (const child of children(node)) {
    if (isW(child, 'p')) out.push(child)
    else if (child.nodeType === ELEMENT && !isW(child, 'txbxContent')) paragraphsOf(child, out)
  }
}

/**
 * The paragraphs of `word/document.xml` with their tracked changes. Rejects with a Refusal when the
 * XML is not well-formed or is not a Word document. Entities declared in a DTD are never expanded
 * (the parser knows only XML's five), so an entity bomb stays text.
 */
export function decodeDocumentXml(xml: string): WordParagraph[] {
  let root: XmlNode | null
  try {
    // xmldom reports mismatched or unclosed tags as mere warnings; Word writes well-formed XML, so any report is a damaged file.
    const refuse = () => {
      throw unreadable()
    }
    const parser = new DOMParser({ errorHandler: { warning: refuse, error: refuse, fatalError: refuse } })
    root = parser.parseFromString(xml, 'text/xml').documentElement
  } catch {
    throw unreadable()
  }
  const body = root && isW(root, 'document') ? children(root).find((child) => isW(child, 'body')) : undefined
  if (!body) throw new Refusal('unreadable', 'Berkas ini bukan dokumen Word: bagian utama naskah (w:body) tidak ditemukan.')
  const paragraphs: XmlNode[] = []
  paragraphsOf(body, paragraphs)
  return paragraphs.map((p) => ({ segments: segmentsOf(p) }))
}

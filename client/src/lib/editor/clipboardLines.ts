import type { Node } from 'prosemirror-model'
import { schema } from '../../../../shared/model/schema.js'
import { withoutUnprintable } from '../../../../shared/text.js'

/**
 * The lines (paragraphs) of pasted text, as the shared recogniser reads them: one per block of
 * HTML (Word's `<p class=MsoNormal>`, a web page's `<p>`, `<li>`, headings, table cells), or one
 * per line of plain text. A list item shown with a number or letter by the page (`<ol>`, `<ol
 * type="a">`) gets that label written in front, as Word's own list labels are. Only italics
 * (foreign terms) are kept of the formatting: bold, fonts, colours and Word's `mso-` styles are
 * not part of a regulation's text.
 */

/** One pasted line: its plain text (whitespace collapsed, trimmed), and its inline content. */
export interface PastedLine {
  readonly text: string
  readonly inline: readonly Node[]
}

const BLOCKS = new Set([
  'P',
  'DIV',
  'LI',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'TD',
  'TH',
  'TR',
  'BLOCKQUOTE',
  'PRE',
  'OL',
  'UL',
  'TABLE',
  'SECTION',
  'ARTICLE',
  'BODY',
])
const SKIPPED = new Set(['STYLE', 'SCRIPT', 'HEAD', 'TITLE', 'META', 'LINK', 'XML', 'TEMPLATE'])

interface Segment {
  text: string
  italic: boolean
}

function isItalic(element: Element, inherited: boolean): boolean {
  const tag = element.tagName
  if (tag === 'I' || tag === 'EM') return !/font-style\s*:\s*normal/i.test(element.getAttribute('style') ?? '')
  const style = (element.getAttribute('style') ?? '').toLowerCase()
  if (/(^|;)\s*font-style\s*:\s*italic/.test(style)) return true
  if (/(^|;)\s*font-style\s*:\s*normal/.test(style)) return false
  return inherited
}

/** The label a page shows in front of the `index`-th (0-based) item of `list`, or null. */
function listLabel(list: Element, index: number): string | null {
  if (list.tagName !== 'OL') return null
  const type = (list.getAttribute('type') ?? '').trim()
  const style = (list.getAttribute('style') ?? '').toLowerCase()
  const start = Number(list.getAttribute('start') ?? '1') || 1
  const n = start + index
  if (type === 'a' || /lower-(alpha|latin)/.test(style)) return `${letters(n)}.`
  if (type === 'i' || type === 'I' || type === 'A' || /roman|upper-/.test(style)) return null
  return `${n}.`
}

const letters = (n: number): string => (n <= 26 ? String.fromCharCode(96 + n) : letters(Math.floor((n - 1) / 26)) + letters(((n - 1) % 26) + 1))

/** Whether a list item's own text already starts with a label ("a.", "(1)", "1)"): Word writes them out. */
const LABELLED = /^\s*(\(\d{1,3}\)|[a-z]{1,3}[.)]|\d{1,3}[.)])\s/

function toLine(segments: readonly Segment[]): PastedLine | null {
  const parts: Segment[] = []
  for (const segment of segments) {
    const text = withoutUnprintable(segment.text).replace(/[\s\u00a0]+/g, ' ')
    const last = parts.at(-1)
    if (last && last.italic === segment.italic) last.text += text
    else if (text) parts.push({ text, italic: segment.italic })
  }
  if (parts.length) parts[0]!.text = parts[0]!.text.trimStart()
  if (parts.length) parts[parts.length - 1]!.text = parts.at(-1)!.text.trimEnd()
  const kept = parts.filter((part) => part.text)
  const text = kept.map((part) => part.text).join('')
  if (!text) return null
  const em = schema.marks.em!.create()
  return { text, inline: kept.map((part) => schema.text(part.text, part.italic ? [em] : [])) }
}

/** The lines of pasted HTML. */
export function htmlLines(html: string): PastedLine[] {
  const doc = new DOMParser().parseFromString(html, 'text/html')
  const lines: PastedLine[] = []
  let current: Segment[] = []
  const flush = () => {
    const line = toLine(current)
    if (line) lines.push(line)
    current = []
  }
  const walk = (node: ChildNode, italic: boolean) => {
    if (node.nodeType === 3) {
      current.push({ text: node.textContent ?? '', italic })
      return
    }
    if (node.nodeType !== 1) return
    const element = node as Element
    const tag = element.tagName.toUpperCase()
    if (SKIPPED.has(tag)) return
    if (tag === 'BR') return flush()
    const block = BLOCKS.has(tag)
    if (block) flush()
    if (tag === 'LI' && element.parentElement) {
      const label = listLabel(element.parentElement, [...element.parentElement.children].filter((c) => c.tagName === 'LI').indexOf(element))
      if (label && !LABELLED.test(element.textContent ?? '')) current.push({ text: `${label} `, italic: false })
    }
    const inner = isItalic(element, italic)
    for (const child of [...element.childNodes]) walk(child, inner)
    if (block) flush()
  }
  walk(doc.body, false)
  flush()
  return lines
}

/** The lines of pasted plain text. */
export function textLines(text: string): PastedLine[] {
  return text
    .split(/\r?\n/)
    .map((line) => toLine([{ text: line, italic: false }]))
    .filter((line): line is PastedLine => line !== null)
}

import { XMLParser } from 'fast-xml-parser'

/**
 * The parts of a Word file as a small element tree: names without their namespace prefix ("w:p" →
 * "p"), attributes likewise, text as strings, in document order. Parsed by `fast-xml-parser`;
 * this module only reshapes its ordered output so that the readers stay readable.
 */

export interface XmlElement {
  readonly name: string
  readonly attributes: Readonly<Record<string, string>>
  readonly children: ReadonlyArray<XmlElement | string>
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  // Spaces inside w:t are text ("xml:space=preserve"); between elements they are never read.
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: false,
})

type Ordered = Record<string, unknown>

function reshape(node: Ordered): XmlElement | string | null {
  if ('#text' in node) return String(node['#text'])
  const name = Object.keys(node).find((key) => key !== ':@')
  if (!name || name.startsWith('?')) return null
  const attributes = (node[':@'] ?? {}) as Record<string, string>
  const children = ((node[name] ?? []) as Ordered[]).map(reshape).filter((child) => child !== null)
  return { name, attributes, children }
}

/**
 * The root element of an XML part. Throws on a document type declaration: Word never writes one,
 * and its entities are the one way a small part could expand into a huge text.
 */
export function parseXml(text: string): XmlElement | null {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new RangeError('XML part declares a document type')
  const nodes = parser.parse(text) as Ordered[]
  for (const node of nodes) {
    const element = reshape(node)
    if (element && typeof element !== 'string') return element
  }
  return null
}

export const elements = (parent: XmlElement | null): XmlElement[] =>
  parent ? parent.children.filter((c): c is XmlElement => typeof c !== 'string') : []

/** The first child element called `name`, or null. */
export const child = (parent: XmlElement | null, name: string): XmlElement | null => elements(parent).find((c) => c.name === name) ?? null

export const children = (parent: XmlElement | null, name: string): XmlElement[] => elements(parent).filter((c) => c.name === name)

/** An attribute by its local name ("w:val" → "val"), or null. */
export const attribute = (element: XmlElement | null, name: string): string | null => element?.attributes[name] ?? null

/** A WordprocessingML on/off property: present and not "0"/"false"/"off". */
export const isOn = (element: XmlElement | null): boolean => {
  const value = attribute(element, 'val')
  return element !== null && value !== '0' && value !== 'false' && value !== 'off'
}

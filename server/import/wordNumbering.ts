import { huruf, roman } from '../../shared/model/ordinals.js'
import { attribute, child, children, isOn, type XmlElement } from './wordXml.js'

/**
 * Word's automatic numbering (word/numbering.xml, ECMA-376 Part 1 §17.9): the label Word displays
 * in front of each numbered paragraph ("a.", "(2)", "1)"), computed the way Word counts. No library
 * does this: mammoth and the like drop the labels, and drafters type most Menimbang points and
 * ayat as numbered paragraphs.
 *
 * Counting: a list (`w:num`) counts on its abstract definition, so lists that share one continue
 * each other, as in Word; a list with `w:lvlOverride` counts on its own and starts each overridden
 * level at its `w:startOverride`. Numbering a level restarts the levels below it, unless a level's
 * `w:lvlRestart` says otherwise (0: never; n: only when a level above level n is numbered).
 */

export interface NumberingLevel {
  readonly start: number
  /** `w:numFmt`: decimal, lowerLetter, upperLetter, lowerRoman, upperRoman, bullet, none, … */
  readonly format: string
  /** `w:lvlText`, e.g. "%1." or "(%1)" or "%1.%2."; %n is level n's number. */
  readonly text: string
  /** `w:lvlRestart`: null when absent (restart after any level above). */
  readonly restart: number | null
  /** `w:isLgl`: every number in its text is shown as a decimal. */
  readonly legal: boolean
}

interface List {
  readonly abstractId: string
  /** Overridden levels: a start, a whole new level, or both. */
  readonly overrides: ReadonlyMap<number, { readonly start?: number; readonly level?: NumberingLevel }>
}

/** The numbering definitions of a document; empty when it has no numbering part. */
export interface NumberingDefinitions {
  readonly abstracts: ReadonlyMap<string, ReadonlyArray<NumberingLevel | undefined>>
  readonly lists: ReadonlyMap<string, List>
}

const MAX_LEVELS = 9
const integer = (value: string | null, fallback: number) => {
  const n = value === null ? NaN : Number.parseInt(value, 10)
  return Number.isFinite(n) ? n : fallback
}

function decodeLevel(lvl: XmlElement): NumberingLevel {
  const restart = child(lvl, 'lvlRestart')
  return {
    // ECMA-376 §17.9.26: an omitted start is zero.
    start: integer(attribute(child(lvl, 'start'), 'val'), 0),
    format: attribute(child(lvl, 'numFmt'), 'val') ?? 'decimal',
    text: attribute(child(lvl, 'lvlText'), 'val') ?? '',
    restart: restart ? integer(attribute(restart, 'val'), 0) : null,
    legal: isOn(child(lvl, 'isLgl')),
  }
}

function decodeLevels(parent: XmlElement): Array<NumberingLevel | undefined> {
  const levels: Array<NumberingLevel | undefined> = []
  for (const lvl of children(parent, 'lvl')) {
    const ilvl = integer(attribute(lvl, 'ilvl'), -1)
    if (ilvl >= 0 && ilvl < MAX_LEVELS) levels[ilvl] = decodeLevel(lvl)
  }
  return levels
}

/** The definitions in the `w:numbering` element of word/numbering.xml (null: no numbering part). */
export function decodeNumbering(root: XmlElement | null): NumberingDefinitions {
  const abstracts = new Map<string, Array<NumberingLevel | undefined>>()
  const lists = new Map<string, List>()
  if (!root) return { abstracts, lists }
  const styleLinked = new Map<string, string>()
  const links: Array<[string, string]> = []
  for (const abstract of children(root, 'abstractNum')) {
    const id = attribute(abstract, 'abstractNumId')
    if (id === null) continue
    abstracts.set(id, decodeLevels(abstract))
    const definesStyle = attribute(child(abstract, 'styleLink'), 'val')
    if (definesStyle) styleLinked.set(definesStyle, id)
    const usesStyle = attribute(child(abstract, 'numStyleLink'), 'val')
    if (usesStyle) links.push([id, usesStyle])
  }
  // A definition that only links to a numbering style takes the levels of the one defining that style.
  for (const [id, style] of links) {
    const defining = styleLinked.get(style)
    if (defining !== undefined && defining !== id) abstracts.set(id, abstracts.get(defining)!)
  }
  for (const num of children(root, 'num')) {
    const id = attribute(num, 'numId')
    const abstractId = attribute(child(num, 'abstractNumId'), 'val')
    if (id === null || abstractId === null) continue
    const overrides = new Map<number, { start?: number; level?: NumberingLevel }>()
    for (const override of children(num, 'lvlOverride')) {
      const ilvl = integer(attribute(override, 'ilvl'), -1)
      if (ilvl < 0 || ilvl >= MAX_LEVELS) continue
      const start = child(override, 'startOverride')
      const lvl = child(override, 'lvl')
      overrides.set(ilvl, {
        ...(start ? { start: integer(attribute(start, 'val'), 0) } : {}),
        ...(lvl ? { level: decodeLevel(lvl) } : {}),
      })
    }
    lists.set(id, { abstractId, overrides })
  }
  return { abstracts, lists }
}

/** A number as a `w:numFmt` shows it (letters past z as Word: aa, bb); formats we do not draw fall back to decimal, as Word does for unknown ones. */
export function formatNumber(n: number, format: string): string {
  switch (format) {
    case 'lowerLetter':
      return n > 0 ? huruf(n) : String(n)
    case 'upperLetter':
      return n > 0 ? huruf(n).toUpperCase() : String(n)
    case 'lowerRoman':
      return n > 0 && n < 4000 ? roman(n).toLowerCase() : String(n)
    case 'upperRoman':
      return n > 0 && n < 4000 ? roman(n) : String(n)
    case 'decimalZero':
      return n < 10 && n >= 0 ? `0${n}` : String(n)
    case 'none':
      return ''
    default:
      return String(n)
  }
}

/**
 * Counts numbered paragraphs in document order and gives each its label. One per document: the
 * counters carry from one paragraph to the next, as they do in Word.
 */
export class WordNumbering {
  readonly #definitions: NumberingDefinitions
  /** Counters by list key (an abstract id, or a list id for a list with overrides); undefined: not started. */
  readonly #counters = new Map<string, Array<number | undefined>>()

  constructor(definitions: NumberingDefinitions) {
    this.#definitions = definitions
  }

  /**
   * The label of the next paragraph numbered with list `numId` at level `ilvl`, as Word shows it:
   * "a.", "(1)", "1)"; null for a bullet, an unknown list, list "0" (numbering removed) or an empty label.
   */
  labelOf(numId: string, ilvl: number): string | null {
    const list = this.#definitions.lists.get(numId)
    const abstract = list && this.#definitions.abstracts.get(list.abstractId)
    if (!list || !abstract || ilvl < 0 || ilvl >= MAX_LEVELS) return null
    const levels = Array.from({ length: MAX_LEVELS }, (_, i) => list.overrides.get(i)?.level ?? abstract[i])
    const level = levels[ilvl]
    if (!level) return null
    const startOf = (i: number) => list.overrides.get(i)?.start ?? levels[i]?.start ?? 0
    const key = list.overrides.size > 0 ? `num:${numId}` : `abstract:${list.abstractId}`
    const counters = this.#counters.get(key) ?? []
    this.#counters.set(key, counters)

    counters[ilvl] = counters[ilvl] === undefined ? startOf(ilvl) : counters[ilvl] + 1
    for (let deeper = ilvl + 1; deeper < MAX_LEVELS; deeper++) {
      const restart = levels[deeper]?.restart ?? deeper
      // lvlRestart n: restarts when a level above level n (1-based) is numbered; 0: never.
      if (ilvl < restart) counters[deeper] = undefined
    }
    if (level.format === 'bullet') return null
    const label = level.text
      .replace(/%([1-9])/g, (_, digit: string) => {
        const i = Number(digit) - 1
        const format = level.legal ? 'decimal' : (levels[i]?.format ?? 'decimal')
        return formatNumber(counters[i] ?? startOf(i), format)
      })
      .trim()
    return label || null
  }
}

import { Fragment, Slice, type Node } from 'prosemirror-model'
import { schema } from '../../../../shared/model/schema.js'
import { unit } from '../../../../shared/model/builders.js'
import { PasalBody, readUnitLine } from '../../../../shared/model/unitLines.js'
import type { PastedLine } from './clipboardLines.js'

/**
 * Pasted lines read as regulation text, with the recogniser the Word import uses
 * (shared/model/unitLines.ts): what comes before any "Pasal N" continues the ayat at the cursor
 * ("(2)" starts a new ayat, "a." a rincian item), and each "Pasal N" starts a new Pasal. Numbers in
 * the pasted text only tell what a line is; the draft numbers by position. Headings (BAB, Bagian,
 * Paragraf) are kept as text: a paste does not reshape the parts of the draft.
 */
export interface PastedUnits {
  /** The text before the first "Pasal N": ayat, the first continuing the one at the cursor. */
  readonly lead: readonly Node[]
  /** New Pasal, each with its ayat. */
  readonly pasal: readonly Node[]
}

/** The inline content of `line` after its first `offset` characters. */
const after = (line: PastedLine, offset: number): Node[] => {
  const content = schema.node('teks', null, [...line.inline]).content.cut(offset)
  const nodes: Node[] = []
  content.forEach((node) => nodes.push(node))
  return nodes
}

/** Where the text after a line's label starts. */
const offsetOf = (line: PastedLine, rest: string) => (rest ? line.text.length - rest.length : line.text.length)

export function readPastedUnits(lines: readonly PastedLine[]): PastedUnits {
  const lead = new PasalBody()
  const bodies: PasalBody[] = []
  for (const line of lines) {
    const body = bodies.at(-1) ?? lead
    const read = readUnitLine(line.text)
    if (read.kind === 'pasal') bodies.push(new PasalBody())
    else if (read.kind === 'ayat') {
      const inline = after(line, offsetOf(line, read.text))
      body.startAyat([{ kind: 'teks', text: read.text, inline }])
    } else if (read.kind === 'butir') body.addButir(read, undefined, after(line, offsetOf(line, read.text)))
    else body.addText(line.text, line.inline)
  }
  const emptyAyat = () => unit('ayat', [schema.node('teks')])
  return {
    lead: lead.ayatNodes(),
    pasal: bodies.map((body) => unit('pasal', body.ayat.length ? body.ayatNodes() : [emptyAyat()])),
  }
}

/**
 * The lead as a slice to put at the cursor: open down to the first and last text, so the first
 * line continues the text before the cursor and the last runs on into the text after it.
 */
export function leadSlice(lead: readonly Node[]): Slice {
  const pasal = schema.node('pasal', { id: null }, [...lead])
  const openStart = lead[0]?.firstChild?.type.name === 'teks' ? 3 : 2
  const openEnd = lead.at(-1)?.lastChild?.type.name === 'teks' ? 3 : 2
  return new Slice(Fragment.from(pasal), openStart, openEnd)
}

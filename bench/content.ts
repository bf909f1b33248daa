import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { encodeDocument, FRAGMENT } from '../shared/model/ydoc.js'
import { convertTypedReferences } from '../shared/model/references.js'
import { newDraft } from '../server/documents/template.js'
import { DEFAULT_META } from '../shared/documents.js'
import { random } from './stats.js'

/** Every Y.XmlText (paragraph text) in the document's ProseMirror fragment, in document order. */
export function textsOf(doc: Y.Doc): Y.XmlText[] {
  const texts: Y.XmlText[] = []
  const walk = (parent: Y.XmlFragment | Y.XmlElement) => {
    for (const child of parent.toArray()) {
      if (child instanceof Y.XmlText) texts.push(child)
      else if (child instanceof Y.XmlElement) walk(child)
    }
  }
  walk(doc.getXmlFragment(FRAGMENT))
  return texts
}

/** The state our server creates for a new draft (`POST /api/docs`), built locally. */
export const templateState = (nama: string) => encodeDocument(convertTypedReferences(newDraft(nama, DEFAULT_META)))

export const docFromState = (state: Uint8Array, clientID?: number) => {
  const doc = new Y.Doc()
  if (clientID !== undefined) doc.clientID = clientID
  Y.applyUpdate(doc, state)
  return doc
}

export const stateVectorOf = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc))

const LETTERS = 'abcdefghijklmnopqrstuvwxyz      '

export interface History {
  /** One Yjs update per edit, in the order they were made (and must be sent). */
  readonly updates: Uint8Array[]
  /** The document after all of them. */
  readonly doc: Y.Doc
}

/**
 * Edits as people make them, one update each: a burst of 1–12 keystrokes at a random place in a
 * random paragraph, about one in ten a backspace. A new Yjs client id every 1,000 edits (another
 * editing session), so the history looks like months of work by many people.
 */
export function keystrokeHistory(state: Uint8Array, edits: number, seed: number): History {
  const next = random(seed)
  const doc = docFromState(state)
  const texts = textsOf(doc)
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  let text = texts[0]!
  let cursor = 0
  let burst = 0
  for (let i = 0; i < edits; i++) {
    if (i % 1000 === 0) doc.clientID = 1 + Math.floor(next() * 0x7ffffffe)
    if (burst === 0) {
      text = texts[Math.floor(next() * texts.length)]!
      cursor = Math.floor(next() * (text.length + 1))
      burst = 1 + Math.floor(next() * 12)
    }
    burst -= 1
    if (next() < 0.1 && cursor > 0) {
      text.delete(cursor - 1, 1)
      cursor -= 1
    } else {
      text.insert(cursor, LETTERS[Math.floor(next() * LETTERS.length)]!)
      cursor += 1
    }
  }
  return { updates, doc }
}

/** Pasted phrases: each edit inserts `length` characters at a random place (the 1 MB join document). */
export function phraseHistory(state: Uint8Array, edits: number, length: number, seed: number): History {
  const next = random(seed)
  const doc = docFromState(state)
  const texts = textsOf(doc)
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  for (let i = 0; i < edits; i++) {
    if (i % 1000 === 0) doc.clientID = 1 + Math.floor(next() * 0x7ffffffe)
    const text = texts[Math.floor(next() * texts.length)]!
    let phrase = ''
    for (let k = 0; k < length; k++) phrase += LETTERS[Math.floor(next() * LETTERS.length)]
    text.insert(Math.floor(next() * (text.length + 1)), phrase)
  }
  return { updates, doc }
}

/**
 * A typist's keystrokes prepared ahead of time (one character each, appended to its own
 * paragraph), so a throughput run measures the server and not the load generator's Yjs.
 *
 * The first keystrokes are made with Yjs; after that every keystroke has the same shape (an item
 * whose left origin is the typist's previous character, at the end of the paragraph), so the rest
 * are encoded directly, at a microsecond each. The shortcut checks itself against Yjs first and
 * is not used if the bytes differ.
 */
export class PreparedKeystrokes {
  readonly clientId: number
  readonly #updates: Uint8Array[] = []
  readonly #doc: Y.Doc
  readonly #text: Y.XmlText
  #direct = false
  #taken = 0

  constructor(state: Uint8Array, clientId: number, textIndex: number) {
    this.clientId = clientId
    this.#doc = docFromState(state, clientId)
    const texts = textsOf(this.#doc)
    this.#text = texts[textIndex % texts.length]!
    this.#doc.on('update', (update: Uint8Array) => this.#updates.push(update))
    for (let i = 0; i < 4; i++) this.#typeWithYjs()
    this.#direct = this.#updates.slice(1).every((update, i) => equalBytes(update, appendedKeystroke(clientId, i + 1, charAt(i + 1))))
  }

  /** The next keystroke's update. */
  next(): Uint8Array {
    while (this.#updates.length <= this.#taken) {
      if (this.#direct) this.#updates.push(appendedKeystroke(this.clientId, this.#updates.length, charAt(this.#updates.length)))
      else this.#typeWithYjs()
    }
    return this.#updates[this.#taken++]!
  }

  #typeWithYjs() {
    this.#text.insert(this.#text.length, charAt(this.#updates.length))
  }
}

const charAt = (index: number) => LETTERS[index % 26]!

/** The Yjs v1 update of one character typed right after the same client's previous one, at the end of a text. */
function appendedKeystroke(client: number, clock: number, char: string): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1) // clients
  encoding.writeVarUint(encoder, 1) // structs of that client
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(encoder, clock)
  encoding.writeUint8(encoder, ITEM_WITH_LEFT_ORIGIN | CONTENT_STRING)
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(encoder, clock - 1)
  encoding.writeVarString(encoder, char)
  encoding.writeVarUint(encoder, 0) // empty delete set
  return encoding.toUint8Array(encoder)
}

const ITEM_WITH_LEFT_ORIGIN = 0x80
const CONTENT_STRING = 4

const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i])

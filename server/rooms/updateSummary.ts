import type { UpdateSummary } from './validation.js'

/**
 * A total, bounded decoder of the Yjs update format (v1), for proving small client updates
 * well-formed on the main thread instead of in the validation worker.
 *
 * It reads exactly what `Y.applyUpdate` and `Y.decodeUpdate` read (yjs `readClientsStructRefs`,
 * `readItemContent`, `readDeleteSet`; lib0 `readAny`), but every count is checked against the
 * bytes left before a loop starts, every read is checked against the end of the update, and
 * recursion is capped: no loop runs longer than the bytes allow, so inputs that make Yjs loop or
 * allocate without end (yjs #479/#498/#687: counts of billions, reads past the end) cost O(bytes).
 *
 * It proves conservatively: anything it does not know to be accepted by Yjs — content kinds a
 * client never sends (sub-documents, skips, bigints), references to the future of the update's
 * own client, trailing bytes, varints past 35 bits — is left unproven (null), and the caller sends
 * it to the worker, which applies it under a budget. So it may send a good update to the worker,
 * never pass a bad one; the fuzz test checks it against Yjs's own decoder.
 */
export function decodeUpdateSummary(update: Uint8Array): UpdateSummary | null {
  try {
    return new UpdateReader(update).read()
  } catch (error) {
    if (error === UNPROVEN) return null
    throw error
  }
}

/** Thrown inside the reader for anything it cannot prove; caught at the top. */
const UNPROVEN = Symbol('unproven')

/** Varints longer than this many bytes (35 bits) are left to Yjs: lib0 reads up to 53. */
const MAX_VARINT_BYTES = 5
/** Nesting of `readAny` arrays and objects proven inline (y-prosemirror writes flat attributes). */
const MAX_ANY_DEPTH = 16

const BITS5 = 31
const BIT6 = 32
const BIT7 = 64
const BIT8 = 128

/** Item content kinds (yjs `contentRefs`); 0 is GC and 10 Skip, read as structs of their own. */
const enum Content {
  deleted = 1,
  json = 2,
  binary = 3,
  string = 4,
  embed = 5,
  format = 6,
  type = 7,
  any = 8,
}

/** Type refs (yjs `typeRefs`) that carry a node name: YXmlElement and YXmlHook. */
const XML_ELEMENT = 3
const XML_HOOK = 5
const LAST_TYPE_REF = 6

/** As lib0 decodes strings: invalid UTF-8 throws, a byte-order mark is kept. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

class UpdateReader {
  readonly #bytes: Uint8Array
  #pos = 0

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes
  }

  read(): UpdateSummary {
    const clients = new Set<number>()
    let structs = 0
    const blocks = this.#count(3)
    for (let b = 0; b < blocks; b++) {
      const count = this.#count(1)
      const client = this.#uint()
      let clock = this.#uint()
      for (let i = 0; i < count; i++) {
        const info = this.#byte()
        structs += 1
        if ((info & BITS5) === 0) {
          const length = this.#uint()
          if (length === 0) throw UNPROVEN
          clock += length
          continue
        }
        // Origins and parents of the update's own client can only be its earlier items.
        if (info & BIT8) this.#id(client, clock)
        if (info & BIT7) this.#id(client, clock)
        if ((info & (BIT7 | BIT8)) === 0) {
          const hasYKey = this.#uint() === 1
          if (hasYKey) this.#string()
          else this.#id(client, clock)
          if (info & BIT6) this.#string()
        }
        const length = this.#content(info & BITS5)
        // Yjs gives an empty item the id of the next one; no client writes one.
        if (length === 0) throw UNPROVEN
        clock += length
        clients.add(client)
      }
    }
    let deletes = false
    const deleteClients = this.#count(2)
    for (let c = 0; c < deleteClients; c++) {
      this.#uint()
      const ranges = this.#count(2)
      if (ranges > 0) deletes = true
      for (let r = 0; r < ranges; r++) {
        this.#uint()
        // Yjs refuses an empty range when it applies one.
        if (this.#uint() === 0) throw UNPROVEN
      }
    }
    if (this.#pos !== this.#bytes.length) throw UNPROVEN
    return { empty: structs === 0 && !deletes, clients: [...clients], deletes }
  }

  /** The item's length in clocks. */
  #content(kind: number): number {
    switch (kind) {
      case Content.deleted:
        return this.#uint()
      case Content.json: {
        const length = this.#count(1)
        for (let i = 0; i < length; i++) {
          const text = this.#string()
          if (text !== 'undefined') this.#json(text)
        }
        return length
      }
      case Content.binary:
        this.#skip(this.#uint())
        return 1
      case Content.string:
        // Yjs counts a string's length in UTF-16 code units, as JavaScript does.
        return this.#string().length
      case Content.embed:
        this.#json(this.#string())
        return 1
      case Content.format:
        this.#string()
        this.#json(this.#string())
        return 1
      case Content.type: {
        const ref = this.#uint()
        if (ref > LAST_TYPE_REF) throw UNPROVEN
        if (ref === XML_ELEMENT || ref === XML_HOOK) this.#string()
        return 1
      }
      case Content.any: {
        const length = this.#count(1)
        for (let i = 0; i < length; i++) this.#any(0)
        return length
      }
      default:
        throw UNPROVEN
    }
  }

  /** lib0 `readAny`, without bigints. */
  #any(depth: number) {
    if (depth > MAX_ANY_DEPTH) throw UNPROVEN
    switch (this.#byte()) {
      case 127: // undefined
      case 126: // null
      case 121: // false
      case 120: // true
        return
      case 125:
        this.#int()
        return
      case 124:
        this.#skip(4)
        return
      case 123:
        this.#skip(8)
        return
      case 119:
        this.#string()
        return
      case 118: {
        const keys = this.#count(2)
        for (let i = 0; i < keys; i++) {
          this.#string()
          this.#any(depth + 1)
        }
        return
      }
      case 117: {
        const length = this.#count(1)
        for (let i = 0; i < length; i++) this.#any(depth + 1)
        return
      }
      case 116:
        this.#skip(this.#uint())
        return
      default:
        throw UNPROVEN
    }
  }

  /** An id of another item: of the update's own client only before `clock`. */
  #id(client: number, clock: number) {
    const of = this.#uint()
    const at = this.#uint()
    if (of === client && at >= clock) throw UNPROVEN
  }

  /** A count of things each taking at least `bytesEach` bytes: never more than the bytes left allow. */
  #count(bytesEach: number): number {
    const count = this.#uint()
    if (count * bytesEach > this.#bytes.length - this.#pos) throw UNPROVEN
    return count
  }

  #byte(): number {
    if (this.#pos >= this.#bytes.length) throw UNPROVEN
    return this.#bytes[this.#pos++]!
  }

  #skip(length: number) {
    if (length > this.#bytes.length - this.#pos) throw UNPROVEN
    this.#pos += length
  }

  /** lib0 `readVarUint`, up to 35 bits. */
  #uint(): number {
    let value = 0
    let multiplier = 1
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const byte = this.#byte()
      value += (byte & 0x7f) * multiplier
      if (byte < 0x80) return value
      multiplier *= 128
    }
    throw UNPROVEN
  }

  /** lib0 `readVarInt`: sign in the first byte's bit 6, up to 34 bits. */
  #int() {
    let byte = this.#byte()
    for (let i = 1; byte & 0x80; i++) {
      if (i >= MAX_VARINT_BYTES) throw UNPROVEN
      byte = this.#byte()
    }
  }

  /** lib0 `readVarString`: UTF-8 of a varuint length. */
  #string(): string {
    const length = this.#uint()
    if (length > this.#bytes.length - this.#pos) throw UNPROVEN
    let text: string
    try {
      text = utf8.decode(this.#bytes.subarray(this.#pos, this.#pos + length))
    } catch {
      throw UNPROVEN
    }
    this.#pos += length
    return text
  }

  #json(text: string) {
    try {
      JSON.parse(text)
    } catch {
      throw UNPROVEN
    }
  }
}

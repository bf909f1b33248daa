import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { decodeUpdateSummary } from './updateSummary.js'
import { summariseUpdate } from './validation.js'
import { bab, pasal, regulation } from '../../shared/model/builders.js'
import { encodeDocument, FRAGMENT } from '../../shared/model/ydoc.js'
import { prng, type Random } from '../../test/harness/random.js'
import { HOSTILE_UPDATES } from '../../test/harness/vectors.js'

/** Updates as editors make them: keystrokes, deletions, formatting, new paragraphs, attributes, a whole draft. */
function realUpdates(random: Random, count: number): Uint8Array[] {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  Y.applyUpdate(
    doc,
    encodeDocument(
      regulation({
        nama: 'UJI DEKODER',
        menimbang: ['bahwa dekoder perlu diuji;'],
        mengingat: ['Undang-Undang Nomor 23 Tahun 2014;'],
        batangTubuh: [bab('KETENTUAN UMUM', pasal('Isi pasal satu.'), pasal('Isi pasal dua.'))],
      }),
    ),
  )
  const texts = () => {
    const found: Y.XmlText[] = []
    for (const node of doc.getXmlFragment(FRAGMENT).createTreeWalker((t) => t instanceof Y.XmlText)) found.push(node as Y.XmlText)
    return found
  }
  const elements = () => [...doc.getXmlFragment(FRAGMENT).createTreeWalker((t) => t instanceof Y.XmlElement)] as Y.XmlElement[]
  for (let i = 0; i < count; i++) {
    const text = random.pick(texts())
    const at = random.int(text.length + 1)
    switch (random.int(6)) {
      case 0:
        if (text.length > 0) text.delete(random.int(text.length), 1)
        break
      case 1:
        if (text.length > 1) text.format(0, 1 + random.int(text.length - 1), { bold: random.chance(0.5) ? {} : null })
        break
      case 2: {
        const parent = random.pick(elements())
        const paragraph = new Y.XmlElement('paragraph')
        paragraph.insert(0, [new Y.XmlText(random.word())])
        parent.insert(random.int(parent.length + 1), [paragraph])
        break
      }
      case 3:
        random.pick(elements()).setAttribute('id', `pasal-${random.int(1000)}`)
        break
      default:
        text.insert(at, random.chance(0.1) ? 'é😀' : random.word())
    }
    if (random.chance(0.02)) doc.clientID = 1 + random.int(0xffffffff)
  }
  return [Y.encodeStateAsUpdate(doc), ...updates]
}

/** A random corruption of `update`: flipped bits, overwritten or inserted bytes, a cut, huge varints. */
function mutate(update: Uint8Array, random: Random): Uint8Array {
  const bytes = [...update]
  for (let n = 1 + random.int(3); n > 0; n--) {
    const at = random.int(bytes.length + 1)
    switch (random.int(5)) {
      case 0:
        if (at < bytes.length) bytes[at] = bytes[at]! ^ (1 << random.int(8))
        break
      case 1:
        if (at < bytes.length) bytes[at] = random.int(256)
        break
      case 2:
        bytes.splice(at, 0, random.int(256))
        break
      case 3:
        bytes.length = Math.min(bytes.length, at)
        break
      default:
        bytes.splice(at, 0, ...[0xff, 0xff, 0xff, 0xff, 0x0f].slice(random.int(3)))
    }
  }
  return new Uint8Array(bytes)
}

describe('decodeUpdateSummary (the inline proof of client updates)', () => {
  it('proves every update editors make, with the summary Yjs gives', () => {
    const random = prng(7)
    const updates = realUpdates(random, 400)
    for (const update of updates) expect(decodeUpdateSummary(update)).toEqual(summariseUpdate(update))
  })

  it('agrees with Yjs on corrupted updates: whatever it proves, Yjs applies, with the same summary (seeded fuzz)', () => {
    const random = prng(2026)
    // The edits, not the whole draft: the corruptions land in the kind of update clients send.
    const updates = realUpdates(random, 200).slice(1)
    let proven = 0
    const rounds = 20_000
    for (let i = 0; i < rounds; i++) {
      const update = mutate(random.pick(updates), random)
      const inline = decodeUpdateSummary(update)
      // Only what it proves needs Yjs's word; the rest goes to the worker, as in the server (and
      // some of it costs Yjs hundreds of milliseconds: `new Array` of a corrupted count).
      if (!inline) continue
      proven += 1
      expect(summariseUpdate(update), `round ${i}: ${Buffer.from(update).toString('hex')}`).toEqual(inline)
    }
    console.log(`inline decoder fuzz: ${rounds} corrupted updates, ${proven} proven inline, Yjs applied each with the same summary`)
    expect(proven).toBeGreaterThan(0)
  }, 60_000)

  it('leaves every hostile update of the shared vectors unproven or agrees with Yjs on it', () => {
    for (const { name, bytes } of HOSTILE_UPDATES) {
      const inline = decodeUpdateSummary(bytes)
      if (inline) expect(summariseUpdate(bytes), name).toEqual(inline)
    }
  })

  it('refuses to prove counts the bytes cannot hold, huge varints, reads past the end and empty input, before looping (yjs #479, #498, #687)', () => {
    const withCounts = (...values: number[]) => {
      const encoder = encoding.createEncoder()
      for (const value of values) encoding.writeVarUint(encoder, value)
      return encoding.toUint8Array(encoder)
    }
    expect(decodeUpdateSummary(new Uint8Array())).toBeNull()
    // A billion blocks, then a billion structs in one block: Yjs allocates `new Array(count)`.
    expect(decodeUpdateSummary(withCounts(1_000_000_000))).toBeNull()
    expect(decodeUpdateSummary(withCounts(1, 1_000_000_000, 5, 0))).toBeNull()
    // A delete set of four billion ranges.
    expect(decodeUpdateSummary(withCounts(0, 1, 5, 4_000_000_000))).toBeNull()
    // A string whose length runs past the end.
    expect(decodeUpdateSummary(new Uint8Array([1, 1, 5, 0, 4, 1, 1, 0x7f, 0x41]))).toBeNull()
    // A varint that never ends.
    expect(decodeUpdateSummary(new Uint8Array(64).fill(0xff))).toBeNull()
    // An item whose origin is itself (its own client, its own clock).
    expect(decodeUpdateSummary(new Uint8Array([1, 1, 5, 0, 0x84, 5, 0, 1, 0x61, 0]))).toBeNull()
    expect(decodeUpdateSummary(new Uint8Array([0, 0]))).toEqual({ empty: true, clients: [], deletes: false })
  })
})

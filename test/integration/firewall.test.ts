import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import * as Y from 'yjs'
import { PermissionDenied } from '../../shared/protocol/messages.js'
import { FRAGMENT } from '../../shared/model/ydoc.js'
import { LevelStorage } from '../../server/storage/leveldb.js'
import { startServer, type TestServer } from '../harness/server.js'
import { connect, meeting, permissionDenials, roundTrip, waitFor, type Person, type TestClient } from '../harness/clients.js'
import { ayatText, pasal } from '../harness/document.js'
import { AKN_XSD, unzip, xmllint } from '../harness/xml.js'

/**
 * Issue 11, parts 4 and 5, against the real server: stock y-websocket clients of editors send
 * what no editor would — content the schema does not admit, text that is not text — and the
 * server refuses it like a viewer's write: not stored, not relayed, the sender told. Whatever the
 * document holds, every export answers 200, the Akoma Ntoso validates and the DOCX is well-formed.
 */

const DOC = 'rapergub-spbe'

const elementOf = (doc: Y.Doc, name: string) =>
  doc
    .getXmlFragment(FRAGMENT)
    .createTreeWalker((t) => t instanceof Y.XmlElement && t.nodeName === name)
    .next().value as Y.XmlElement

/** Something an editor's stock client sends, and how to tell whether a document holds it. */
interface Hostile {
  readonly what: string
  readonly send: (doc: Y.Doc) => void
  readonly holds: (doc: Y.Doc) => boolean
}

const attributeCase = (what: string, node: string, name: string, value: unknown): Hostile => ({
  what,
  send: (doc) => elementOf(doc, node).setAttribute(name, value as string),
  holds: (doc) =>
    elementOf(doc, node).getAttribute(name) !== undefined && JSON.stringify(elementOf(doc, node).getAttribute(name)) === JSON.stringify(value),
})

const textCase = (what: string, text: string): Hostile => ({
  what,
  send: (doc) => ayatText(pasal(doc, 3)).insert(0, text),
  holds: (doc) => ayatText(pasal(doc, 3)).toString().includes(text),
})

const HOSTILE: Hostile[] = [
  {
    what: 'a rujukan whose targets is a number',
    send: (doc) => {
      const rujukan = new Y.XmlElement('rujukan')
      rujukan.setAttribute('targets', 7 as unknown as string)
      ;(ayatText(pasal(doc, 2)).parent as Y.XmlElement).insert(1, [rujukan])
    },
    holds: (doc) =>
      doc
        .getXmlFragment(FRAGMENT)
        .createTreeWalker((t) => t instanceof Y.XmlElement && t.getAttribute('targets') === (7 as unknown))
        .next().done === false,
  },
  attributeCase('a ychange attribute on a Pasal (a forged change with a full-screen style)', 'pasal', 'ychange', {
    type: 'added',
    user: 'Gubernur Kalimantan Timur',
    color: 'red; position: fixed; inset: 0; z-index: 9999',
  }),
  attributeCase('a style attribute on a Pasal', 'pasal', 'style', 'position: fixed; inset: 0'),
  {
    what: 'an unknown node',
    send: (doc) => pasal(doc, 4).insert(0, [new Y.XmlElement('iframe')]),
    holds: (doc) =>
      pasal(doc, 4)
        .toArray()
        .some((c) => c instanceof Y.XmlElement && c.nodeName === 'iframe'),
  },
  {
    what: 'an unknown mark',
    send: (doc) => ayatText(pasal(doc, 5)).format(0, 4, { link: { href: 'javascript:alert(1)' } }),
    holds: (doc) =>
      ayatText(pasal(doc, 5))
        .toDelta()
        .some((d: { attributes?: object }) => d.attributes && 'link' in d.attributes),
  },
  {
    what: 'a Pasal inside a teks',
    send: (doc) => (ayatText(pasal(doc, 6)).parent as Y.XmlElement).insert(0, [new Y.XmlElement('pasal')]),
    holds: (doc) => (ayatText(pasal(doc, 6)).parent as Y.XmlElement).toArray().some((c) => c instanceof Y.XmlElement && c.nodeName === 'pasal'),
  },
  textCase('a vertical tab (U+000B)', 'tab\u000bvertikal'),
  textCase('a form feed (U+000C)', 'ganti\u000chalaman'),
  textCase('a start-of-text control (U+0002)', 'awal\u0002teks'),
  textCase('the non-character U+FFFE', 'bukan\ufffekarakter'),
  textCase('the non-character U+FFFF', 'bukan\uffffkarakter'),
]

/** Every export answers 200; the AKN validates against the OASIS schema; the DOCX parts are well-formed. */
async function expectExportsValid(server: TestServer, token: string) {
  const get = async (format: string) => {
    const response = await fetch(`${server.url}/api/docs/${DOC}/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } })
    const bytes = Buffer.from(await response.arrayBuffer())
    expect(response.status, `${format}: ${bytes.toString('utf8').slice(0, 200)}`).toBe(200)
    return bytes
  }
  const [akn, docx, html] = await Promise.all([get('akn'), get('docx'), get('html')])
  const verdict = await xmllint(akn.toString('utf8'), AKN_XSD)
  expect(verdict.valid, verdict.output).toBe(true)
  for (const [name, xml] of unzip(docx)) {
    if (!name.endsWith('.xml') && !name.endsWith('.rels')) continue
    const wellFormed = await xmllint(xml)
    expect(wellFormed.valid, `${name}: ${wellFormed.output}`).toBe(true)
  }
  expect(html.length).toBeGreaterThan(0)
}

describe('schema firewall and text hygiene through stock clients', () => {
  let server: TestServer
  let rina: Person
  let bayu: Person

  beforeAll(async () => {
    server = await startServer({ env: { EXPORTS_PER_MINUTE: '1000', EXPORTS_BURST: '1000', CONCURRENT_EXPORTS: '8' } })
    ;({ rina, bayu } = await meeting(server))
  })

  afterAll(async () => {
    await server?.dispose()
  })

  for (const hostile of HOSTILE) {
    it(`refuses ${hostile.what} from an editor: not applied, not relayed, the sender told; the exports stay valid`, async () => {
      const sender = connect(server, DOC, rina.token)
      const denials = permissionDenials(sender)
      const witness = connect(server, DOC, bayu.token)
      await Promise.all([sender.synced, witness.synced])

      sender.doc.transact(() => hostile.send(sender.doc))
      expect(hostile.holds(sender.doc)).toBe(true)
      await waitFor(() => denials.length > 0, 'the sender to be told')
      expect(denials[0]).toBe(PermissionDenied.invalidContent)
      await roundTrip(sender)

      // A later edit by someone else reaches the witness; had the refused one been relayed, it would have come first.
      const later = connect(server, DOC, bayu.token)
      await later.synced
      const marker = `penanda-${Math.random().toString(36).slice(2, 8)}`
      ayatText(pasal(later.doc, 1)).insert(0, marker)
      await waitFor(() => ayatText(pasal(witness.doc, 1)).toString().startsWith(marker), 'the later edit to reach the witness')
      expect(hostile.holds(witness.doc)).toBe(false)

      // The sender's connection still works: it receives the later edit too.
      await waitFor(() => ayatText(pasal(sender.doc, 1)).toString().startsWith(marker), 'the later edit to reach the sender')
      for (const client of [sender, witness, later]) client.destroy()
      await expectExportsValid(server, rina.token)
    })
  }

  it('stored none of it: after a restart a fresh client finds none of the refused content', async () => {
    server = await server.restart()
    const fresh = connect(server, DOC, bayu.token)
    await fresh.synced
    for (const hostile of HOSTILE) expect(hostile.holds(fresh.doc), hostile.what).toBe(false)
    fresh.destroy()
  })
})

describe('exports of a document stored before the firewall', () => {
  let server: TestServer
  let token: string

  beforeAll(async () => {
    server = await startServer({ env: { EXPORTS_PER_MINUTE: '1000', EXPORTS_BURST: '1000', CONCURRENT_EXPORTS: '8' } })
    token = (await meeting(server)).rina.token
    // Let the server create the sample draft, then write hostile content past it, into storage.
    const client: TestClient = connect(server, DOC, token)
    await client.synced
    client.destroy()
    await server.stop()
    const storage = await LevelStorage.open(join(server.dataDir, 'db'))
    try {
      const stored = await storage.loadDocument(DOC)
      const doc = new Y.Doc()
      for (const update of stored.state ? [stored.state, ...stored.updates] : stored.updates) Y.applyUpdate(doc, update)
      const before = Y.encodeStateVector(doc)
      doc.transact(() => {
        for (const hostile of HOSTILE)
          if (hostile.what !== 'an unknown node' && hostile.what !== 'an unknown mark' && !hostile.what.includes('inside')) hostile.send(doc)
        elementOf(doc, 'penandatanganan').setAttribute('jabatan', 'GUBERNUR\u0001 KALIMANTAN\ufffe TIMUR,')
      })
      await storage.appendUpdates([{ docId: DOC, clock: stored.lastClock + 1, update: Y.encodeStateAsUpdate(doc, before) }])
    } finally {
      await storage.close()
    }
    server = await server.restart()
  })

  afterAll(async () => {
    await server?.dispose()
  })

  it('answers every export with 200, a valid Akoma Ntoso and a well-formed DOCX, whatever the stored text holds', async () => {
    await expectExportsValid(server, token)
  })
})

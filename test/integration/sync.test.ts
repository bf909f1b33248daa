import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { startServer, type TestServer } from '../harness/server.js'
import { adminToken, connect, waitFor } from '../harness/clients.js'
import { ayatText, contentOf, pasal, pasalLabels } from '../harness/document.js'

describe('live co-editing through the real server', () => {
  let server: TestServer
  let token: string

  beforeAll(async () => {
    server = await startServer()
    token = await adminToken(server)
  })
  afterAll(() => server.dispose())

  it('serves the seeded sample draft to a stock y-websocket client', async () => {
    const client = connect(server, 'rapergub-spbe', token)
    await client.synced
    const labels = pasalLabels(client.doc)
    expect(labels.length).toBe(30)
    expect(labels.at(-1)).toBe('Pasal 30')
    client.destroy()
  })

  it('merges concurrent typing in the same ayat and converges', async () => {
    const a = connect(server, 'rapergub-spbe', token)
    const b = connect(server, 'rapergub-spbe', token)
    await Promise.all([a.synced, b.synced])
    const textA = ayatText(pasal(a.doc, 7))
    const textB = ayatText(pasal(b.doc, 7))
    for (let i = 0; i < 20; i++) {
      textA.insert(0, 'A')
      textB.insert(textB.length, 'B')
    }
    await waitFor(
      () =>
        ayatText(pasal(a.doc, 7)).toString() === ayatText(pasal(b.doc, 7)).toString() &&
        ayatText(pasal(a.doc, 7)).toString().includes('B'.repeat(20)),
      'convergence',
    )
    expect(ayatText(pasal(a.doc, 7)).toString()).toMatch(/^A{20}.*B{20}$/)
    expect(contentOf(a.doc)).toEqual(contentOf(b.doc))
    a.destroy()
    b.destroy()
  })

  it('keeps the document exactly after SIGTERM and restart', async () => {
    const a = connect(server, 'rapergub-spbe', token)
    await a.synced
    ayatText(pasal(a.doc, 3)).insert(0, 'SEBELUM-RESTART ')
    const probe = connect(server, 'rapergub-spbe', token)
    await probe.synced
    await waitFor(() => ayatText(pasal(probe.doc, 3)).toString().startsWith('SEBELUM-RESTART'), 'relay')
    const before = contentOf(a.doc)
    a.destroy()
    probe.destroy()
    expect(await server.stop()).toBe(0)
    server = await server.restart()
    token = await adminToken(server)
    const c = connect(server, 'rapergub-spbe', token, { doc: new Y.Doc() })
    await c.synced
    expect(contentOf(c.doc)).toEqual(before)
    c.destroy()
  })
})

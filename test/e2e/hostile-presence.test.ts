/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from '../harness/server.js'
import { awarenessMessage, connect, createAccount, openRaw, roundTrip, waitFor, type RawSocket, type TestClient } from '../harness/clients.js'
import { ayatText, pasal } from '../harness/document.js'
import { RAPERGUB_SPBE_ID as DOC } from '../../server/documents/rapergub-spbe.js'
import { clickInto, launchBrowser, openEditor, pasalText, SYNC } from '../harness/browser.js'

/**
 * Issue 11, part 3 in Chromium: a viewer publishes presence states y-prosemirror's cursor plugin
 * cannot read, while an editor in the browser and another editor (a stock client) type. The
 * browser must keep showing the other editor's edits, also after a reload.
 */

/** Presence a viewer's own client could publish by hand; none of it is what the Rancang client sends. */
const HOSTILE_STATES: unknown[] = [
  { cursor: {} },
  { cursor: { anchor: 1, head: 'x' } },
  { cursor: { anchor: { type: { client: 'x' } }, head: null } },
  { cursor: { anchor: {}, head: {} }, catatan: 'k'.repeat(12_000) },
  { cursor: { anchor: { a: { b: { c: { d: [[[{}]]] } } } }, head: [] }, user: 'bukan objek', following: { deep: { deeper: true } } },
]

let server: TestServer
let browser: Browser
let page: Page
let other: TestClient
let viewer: RawSocket
const pageErrors: string[] = []
/** Awareness client id the viewer publishes under. */
const VIEWER_ID = 0x6a00_0001

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  const [editor, otherEditor, viewerAccount] = await Promise.all([
    createAccount(server, 'editor', 'Bidang Aplikasi Informatika'),
    createAccount(server, 'editor', 'Bidang Persandian'),
    createAccount(server, 'viewer', 'Inspektorat'),
  ])
  ;({ page } = await openEditor(browser, server, { username: editor.user.username, password: editor.password }, DOC))
  page.on('pageerror', (error) => pageErrors.push(error.message))
  other = connect(server, DOC, otherEditor.token)
  viewer = openRaw(server, DOC, viewerAccount.token)
  await Promise.all([other.synced, viewer.opened])
})

afterAll(async () => {
  viewer?.ws.close()
  other?.destroy()
  await browser?.close()
  await server?.dispose()
})

/** The other editor appends `word` to the first ayat of Pasal 1 (a stock y-websocket client's edit). */
async function otherTypes(word: string) {
  const text = ayatText(pasal(other.doc, 1))
  text.insert(text.length, ` ${word}`)
  await roundTrip(other)
}

/** Publishes every hostile state under the viewer's id, each with a newer clock, and waits until the server relayed it. */
let clock = 0
async function publishHostileStates(observer: TestClient) {
  for (const state of HOSTILE_STATES) {
    clock += 1
    viewer.send(awarenessMessage([{ clientId: VIEWER_ID, clock, state }]))
    const expected = clock
    await waitFor(() => observer.provider.awareness.meta.get(VIEWER_ID)?.clock === expected, `hostile state ${clock} to be relayed`)
  }
}

describe('a viewer publishing hostile presence', () => {
  test("cannot stop the browser from showing another editor's edits, nor the browser's edits from reaching the others", async () => {
    await publishHostileStates(other)
    await otherTypes('SETELAHSERANGAN')
    await expect.poll(() => pasalText(page, 'Pasal 1'), SYNC).toContain('SETELAHSERANGAN')

    // The browser's own typing still goes out too.
    await clickInto(page, 'Pasal 1')
    await page.keyboard.press('End')
    await page.keyboard.type(' DARIPERAMBAN')
    await waitFor(
      () => ayatText(pasal(other.doc, 1)).toString().includes('DARIPERAMBAN'),
      "the browser's edit to reach the other editor",
      SYNC.timeout,
    )

    // More hostile states while both type.
    await publishHostileStates(other)
    await otherTypes('SAMBILDISERANG')
    await expect.poll(() => pasalText(page, 'Pasal 1'), SYNC).toContain('SAMBILDISERANG')
    expect(pageErrors).toEqual([])
  })

  test('cannot break the editor for good: after a reload, which receives the stored presence at once, remote edits still appear', async () => {
    await page.reload()
    await page.locator('.naskah .pasal').first().waitFor()
    await expect.poll(() => pasalText(page, 'Pasal 1'), SYNC).toContain('SAMBILDISERANG')
    await otherTypes('SETELAHMUATULANG')
    await expect.poll(() => pasalText(page, 'Pasal 1'), SYNC).toContain('SETELAHMUATULANG')
    expect(pageErrors).toEqual([])
  })
})

/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import type { User } from '../../shared/accounts.js'
import { startServer, type TestServer } from '../harness/server.js'
import { connect, createAccount, login } from '../harness/clients.js'
import { contentOf } from '../harness/document.js'
import { RAPERGUB_SPBE_ID as DOC } from '../../server/documents/rapergub-spbe.js'
import {
  ayatTeks,
  clickInto,
  controlNetwork,
  documentText,
  launchBrowser,
  newProfile,
  offlineCopyHolds,
  openEditor,
  outlinePasalLabels,
  pasalText,
  placeCaret,
  SYNC,
  visibleText,
  type NetworkSwitch,
} from '../harness/browser.js'

/** Issue 2 in Chromium: two people co-editing the sample Rapergub from two browser profiles. */

interface Person {
  readonly user: User
  readonly password: string
  readonly context: BrowserContext
  readonly page: Page
}

let server: TestServer
let browser: Browser
let alice: Person
let bob: Person
/** Alice's network; Bob stays online throughout. */
let aliceNetwork: NetworkSwitch

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  const a = await createAccount(server, 'editor', 'Bidang Aplikasi Informatika')
  const b = await createAccount(server, 'editor', 'Bidang Persandian')
  const aliceContext = await newProfile(browser)
  aliceNetwork = await controlNetwork(aliceContext)
  const [aliceTab, bobTab] = await Promise.all([
    openEditor(browser, server, { username: a.user.username, password: a.password }, DOC, { context: aliceContext }),
    openEditor(browser, server, { username: b.user.username, password: b.password }, DOC),
  ])
  alice = { user: a.user, password: a.password, ...aliceTab }
  bob = { user: b.user, password: b.password, ...bobTab }
})

afterAll(async () => {
  await browser?.close()
  await server?.dispose()
})

/** The text snippet the outline shows beside `label` (e.g. "Pasal 9"). */
const outlineSnippet = (page: Page, label: string) =>
  page
    .getByTestId('kerangka-pasal')
    .filter({ has: page.locator('.label', { hasText: new RegExp(`^${label}$`) }) })
    .locator('.judul')
    .textContent()

const statusText = async (page: Page, testId: 'status-sambungan' | 'status-simpan') => ((await page.getByTestId(testId).textContent()) ?? '').trim()

/** Both tabs show the same draft (and outline), and it contains every one of `words`. */
async function bothShowSameDraftWith(...words: string[]) {
  await expect
    .poll(async () => {
      const [a, b] = await Promise.all([documentText(alice.page), documentText(bob.page)])
      return a === b && words.every((word) => a.includes(word))
    }, SYNC)
    .toBe(true)
  expect(await outlinePasalLabels(alice.page)).toEqual(await outlinePasalLabels(bob.page))
}

describe('co-editing the same draft from two browsers', () => {
  test('two people typing in the same ayat at the same time both end with identical text holding both words', async () => {
    const original = await visibleText(ayatTeks(alice.page, 'Pasal 7'))
    await placeCaret(ayatTeks(alice.page, 'Pasal 7'), 'start')
    await placeCaret(ayatTeks(bob.page, 'Pasal 7'), 'end')

    await Promise.all([alice.page.keyboard.type('ALFA '), bob.page.keyboard.type(' BRAVO')])

    await bothShowSameDraftWith('ALFA', 'BRAVO')
    const expected = `ALFA ${original} BRAVO`
    expect(await visibleText(ayatTeks(alice.page, 'Pasal 7'))).toBe(expected)
    expect(await visibleText(ayatTeks(bob.page, 'Pasal 7'))).toBe(expected)
  })

  test("each tab shows the other person's cursor labelled with their name and bidang", async () => {
    await ayatTeks(alice.page, 'Pasal 7').click()
    await ayatTeks(bob.page, 'Pasal 7', 1).click()

    const aliceLabel = bob.page.locator('.naskah article.pasal[data-label="Pasal 7"] .kursor-label', {
      hasText: `${alice.user.name} · ${alice.user.bidang}`,
    })
    const bobLabel = alice.page.locator('.naskah article.pasal[data-label="Pasal 7"] .kursor-label', {
      hasText: `${bob.user.name} · ${bob.user.bidang}`,
    })
    await aliceLabel.waitFor({ state: 'visible', timeout: SYNC.timeout })
    await bobLabel.waitFor({ state: 'visible', timeout: SYNC.timeout })
    // A tab never labels its own cursor.
    expect(await alice.page.locator('.kursor-label', { hasText: alice.user.name }).count()).toBe(0)
  })

  test("inserting a pasal in one tab renumbers the other tab's outline and the pasal after it (S5)", async () => {
    const before = await outlinePasalLabels(bob.page)
    const formerPasal8 = await pasalText(bob.page, 'Pasal 8')
    const formerPasal8Snippet = await outlineSnippet(bob.page, 'Pasal 8')

    await clickInto(alice.page, 'Pasal 7')
    await alice.page.keyboard.press('Control+Alt+P')
    await alice.page.keyboard.type('Pasal sisipan dari uji.')

    const renumbered = Array.from({ length: before.length + 1 }, (_, i) => `Pasal ${i + 1}`)
    await expect.poll(() => outlinePasalLabels(bob.page), SYNC).toEqual(renumbered)
    await expect.poll(() => pasalText(bob.page, 'Pasal 8'), SYNC).toBe('Pasal sisipan dari uji.')
    expect(await pasalText(bob.page, 'Pasal 9')).toBe(formerPasal8)
    expect(await outlineSnippet(bob.page, 'Pasal 9')).toBe(formerPasal8Snippet)
    await bothShowSameDraftWith('Pasal sisipan dari uji.')
  })

  test('moving a pasal down with Alt+Shift+ArrowDown renumbers it in both tabs', async () => {
    const [pasal1, pasal2] = await Promise.all([pasalText(alice.page, 'Pasal 1'), pasalText(alice.page, 'Pasal 2')])

    await clickInto(alice.page, 'Pasal 1')
    await alice.page.keyboard.press('Alt+Shift+ArrowDown')

    for (const page of [alice.page, bob.page]) {
      await expect.poll(() => Promise.all([pasalText(page, 'Pasal 1'), pasalText(page, 'Pasal 2')]), SYNC).toEqual([pasal2, pasal1])
    }
    await bothShowSameDraftWith()
  })

  test("Ctrl+Z undoes only the person's own edit, never the other person's later edit in the same ayat", async () => {
    // A fresh tab has a fresh undo history, so Ctrl+Z can only mean the edit made below.
    const tab = await alice.context.newPage()
    try {
      await tab.goto(`${server.url}/dokumen/${DOC}`)
      await tab.locator('.naskah .pasal').first().waitFor()
      const original = await visibleText(ayatTeks(tab, 'Pasal 12'))

      await placeCaret(ayatTeks(tab, 'Pasal 12'), 'start')
      await tab.keyboard.insertText('MILIKALIF ')
      await expect.poll(() => visibleText(ayatTeks(bob.page, 'Pasal 12')), SYNC).toBe(`MILIKALIF ${original}`)
      await placeCaret(ayatTeks(bob.page, 'Pasal 12'), 'end')
      await bob.page.keyboard.type(' MILIKBUDI')
      await expect.poll(() => visibleText(ayatTeks(tab, 'Pasal 12')), SYNC).toBe(`MILIKALIF ${original} MILIKBUDI`)

      await tab.keyboard.press('Control+Z')

      for (const page of [tab, bob.page]) {
        await expect.poll(() => visibleText(ayatTeks(page, 'Pasal 12')), SYNC).toBe(`${original} MILIKBUDI`)
      }
    } finally {
      await tab.close()
    }
  })
})

describe('working offline', () => {
  test('edits made in both tabs while one is offline merge when it comes back', async () => {
    const bobSees = (name: string) => bob.page.getByTestId('hadir-orang').filter({ hasText: name })
    await bobSees(alice.user.name).waitFor({ timeout: SYNC.timeout })

    await aliceNetwork.goOffline()
    await expect.poll(() => statusText(alice.page, 'status-sambungan'), SYNC).toBe('Luring')
    // The server saw Alice's socket close: her presence is gone from Bob's tab.
    await bobSees(alice.user.name).waitFor({ state: 'detached', timeout: SYNC.timeout })

    const original = await visibleText(ayatTeks(bob.page, 'Pasal 14'))
    await placeCaret(ayatTeks(bob.page, 'Pasal 14'), 'end')
    await bob.page.keyboard.type(' DARIBUDI')
    await placeCaret(ayatTeks(alice.page, 'Pasal 14'), 'start')
    await alice.page.keyboard.type('DARIALIF ')

    await expect.poll(() => statusText(alice.page, 'status-simpan'), SYNC).toBe('Tersimpan di perangkat ini')
    await expect.poll(() => statusText(bob.page, 'status-simpan'), SYNC).toBe('Semua perubahan tersimpan')
    // Bob's edit is stored on the server, but nothing reaches Alice while she is cut off.
    expect(await visibleText(ayatTeks(alice.page, 'Pasal 14'))).toBe(`DARIALIF ${original}`)
    expect(await visibleText(ayatTeks(bob.page, 'Pasal 14'))).toBe(`${original} DARIBUDI`)

    await aliceNetwork.goOnline()

    await bothShowSameDraftWith('DARIALIF', 'DARIBUDI')
    expect(await visibleText(ayatTeks(alice.page, 'Pasal 14'))).toBe(`DARIALIF ${original} DARIBUDI`)
    await expect.poll(() => statusText(alice.page, 'status-sambungan'), SYNC).toBe('Tersambung')
    await expect.poll(() => statusText(alice.page, 'status-simpan'), SYNC).toBe('Semua perubahan tersimpan')
    await bobSees(alice.user.name).waitFor({ timeout: SYNC.timeout })
  })

  test('an edit made offline survives reloading the tab before reconnecting, and then reaches the others', async () => {
    await aliceNetwork.goOffline()
    await expect.poll(() => statusText(alice.page, 'status-sambungan'), SYNC).toBe('Luring')
    const original = await visibleText(ayatTeks(alice.page, 'Pasal 15'))
    await placeCaret(ayatTeks(alice.page, 'Pasal 15'), 'start')
    // One transaction, so the word is stored verbatim in one update of the offline copy.
    await alice.page.keyboard.insertText('SIMPANLOKAL ')
    await expect.poll(() => offlineCopyHolds(alice.page, 'SIMPANLOKAL'), SYNC).toBe(true)

    // The page can load again, but the live sync stays cut: only the offline copy can hold the word.
    await aliceNetwork.restoreHttp()
    await alice.page.reload()
    await expect.poll(() => visibleText(ayatTeks(alice.page, 'Pasal 15')), SYNC).toBe(`SIMPANLOKAL ${original}`)
    expect(await statusText(alice.page, 'status-sambungan')).not.toBe('Tersambung')
    const observer = connect(server, DOC, await login(server, bob.user.username, bob.password))
    try {
      await observer.synced
      expect(JSON.stringify(contentOf(observer.doc))).not.toContain('SIMPANLOKAL')
    } finally {
      observer.destroy()
    }

    await aliceNetwork.goOnline()

    await expect.poll(() => visibleText(ayatTeks(bob.page, 'Pasal 15')), SYNC).toBe(`SIMPANLOKAL ${original}`)
    await bothShowSameDraftWith('SIMPANLOKAL')
    await expect.poll(() => statusText(alice.page, 'status-sambungan'), SYNC).toBe('Tersambung')
    await expect.poll(() => statusText(alice.page, 'status-simpan'), SYNC).toBe('Semua perubahan tersimpan')
  })

  test('after reloading with unsent offline edits, the tab does not claim that all changes are saved', async () => {
    await aliceNetwork.goOffline()
    await expect.poll(() => statusText(alice.page, 'status-sambungan'), SYNC).toBe('Luring')
    await placeCaret(ayatTeks(alice.page, 'Pasal 16'), 'start')
    await alice.page.keyboard.insertText('BELUMTERKIRIM ')
    await expect.poll(() => offlineCopyHolds(alice.page, 'BELUMTERKIRIM'), SYNC).toBe(true)

    await aliceNetwork.restoreHttp()
    await alice.page.reload()
    await expect.poll(() => visibleText(ayatTeks(alice.page, 'Pasal 16')), SYNC).toContain('BELUMTERKIRIM')
    try {
      // The word is only on this device: the status must say so, not "Semua perubahan tersimpan".
      await expect.poll(() => statusText(alice.page, 'status-simpan'), { ...SYNC, timeout: 5_000 }).toBe('Tersimpan di perangkat ini')
    } finally {
      await aliceNetwork.goOnline()
      await expect.poll(() => visibleText(ayatTeks(bob.page, 'Pasal 16')), SYNC).toContain('BELUMTERKIRIM')
    }
  })
})

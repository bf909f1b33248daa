/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import type { User } from '../../shared/accounts.js'
import { startServer, type TestServer } from '../harness/server.js'
import { createAccount } from '../harness/clients.js'
import { RAPERGUB_SPBE_ID as DOC } from '../../server/documents/rapergub-spbe.js'
import { ayatTeks, clean, documentText, launchBrowser, openEditor, pasalText, placeCaret, SYNC } from '../harness/browser.js'

/** Issue 5 in Chromium: save a version, compare it with another bidang's edit, restore it in both tabs. */

interface Person {
  readonly user: User
  readonly page: Page
}

let server: TestServer
let browser: Browser
/** An editor of Bidang Aplikasi Informatika: saves, compares and restores. */
let rina: Person
/** An editor of Bidang Persandian: edits in another tab meanwhile. */
let bayu: Person

async function person(role: 'editor' | 'viewer', bidang: string): Promise<Person> {
  const account = await createAccount(server, role, bidang)
  const { page } = await openEditor(browser, server, { username: account.user.username, password: account.password }, DOC)
  return { user: account.user, page }
}

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  ;[rina, bayu] = await Promise.all([person('editor', 'Bidang Aplikasi Informatika'), person('editor', 'Bidang Persandian')])
})

afterAll(async () => {
  await browser?.close()
  await server?.dispose()
})

/** Opens the "Riwayat versi" tab of the right panel. */
async function openHistory(page: Page) {
  await page.getByRole('tab', { name: 'Riwayat versi' }).click()
  await page.locator('#panel-versi').waitFor()
}

/** The list entry of the version named `name` (exactly). */
const versionItem = (page: Page, name: string) =>
  page.getByTestId('versi').filter({ has: page.locator('.nama-versi', { hasText: new RegExp(`^\\s*${escape(name)}\\s*(Otomatis)?\\s*$`) }) })

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The read-only document of a version or comparison (not the live editor, which stays mounted but hidden). */
const versionDocument = (page: Page) => page.locator('.lihat-versi .naskah')

describe('versions in the editor', () => {
  const EDIT = 'Sisipan Bidang Persandian '
  let original: string
  let originalPasal7: string

  test('an editor saves a named version "Sebelum rapat" from the Riwayat versi panel, and it is listed with her name and bidang', async () => {
    original = await documentText(rina.page)
    originalPasal7 = await pasalText(rina.page, 'Pasal 7')
    await openHistory(rina.page)

    await rina.page.getByLabel('Nama versi').fill('Sebelum rapat')
    await rina.page.getByLabel('Catatan (tidak wajib)').fill('Draf yang dibawa ke rapat harmonisasi.')
    await rina.page.getByRole('button', { name: 'Simpan versi' }).click()

    const item = versionItem(rina.page, 'Sebelum rapat')
    await item.waitFor({ timeout: SYNC.timeout })
    expect(clean(await item.locator('.meta').textContent())).toContain(`${rina.user.name} · Bidang Aplikasi Informatika`)
    expect(clean(await item.locator('.catatan-versi').textContent())).toBe('Draf yang dibawa ke rapat harmonisasi.')
    expect(await item.locator('.lencana.otomatis').count()).toBe(0)
    // The form is emptied for the next version.
    expect(await rina.page.getByLabel('Nama versi').inputValue()).toBe('')
  })

  test('"Bandingkan" shows an edit made in another tab by another bidang, summarised and marked inline with its author', async () => {
    await placeCaret(ayatTeks(bayu.page, 'Pasal 7'), 'start')
    await bayu.page.keyboard.type(EDIT)
    // The server relays only what it has stored (S1): once Rina's tab has the edit, so has the server.
    await expect.poll(() => pasalText(rina.page, 'Pasal 7'), SYNC).toContain(EDIT.trim())

    await versionItem(rina.page, 'Sebelum rapat').getByRole('button', { name: 'Bandingkan' }).click()

    const banner = rina.page.locator('.lihat-versi .spanduk')
    await expect.poll(async () => clean(await banner.textContent()), SYNC).toContain('Perbedaan dari "Sebelum rapat" ke naskah sekarang')
    const changes = rina.page.getByTestId('perubahan')
    await expect
      .poll(() => changes.allTextContents().then((all) => all.map(clean)), SYNC)
      .toEqual([`Pasal 7 diubah oleh ${bayu.user.name} (Bidang Persandian)`])
    const inserted = versionDocument(rina.page).locator('article.pasal[data-label="Pasal 7"] ins.perubahan')
    await expect.poll(async () => clean((await inserted.allTextContents()).join('')), SYNC).toBe(EDIT.trim())
    for (const title of await inserted.evaluateAll((elements) => elements.map((e) => e.getAttribute('title')))) {
      expect(title).toBe(`${bayu.user.name} · Bidang Persandian`)
    }
    expect(await versionDocument(rina.page).locator('del.perubahan').count()).toBe(0)
    // The comparison is read-only.
    expect(await versionDocument(rina.page).getAttribute('contenteditable')).toBe('false')
  })

  test('"Kembali ke naskah" returns to the live, editable draft', async () => {
    await rina.page.getByRole('button', { name: 'Kembali ke naskah' }).click()

    await rina.page.locator('.lihat-versi').waitFor({ state: 'detached', timeout: SYNC.timeout })
    await ayatTeks(rina.page, 'Pasal 7').waitFor({ state: 'visible' })
    expect(await pasalText(rina.page, 'Pasal 7')).toContain(EDIT.trim())
  })

  test('"Pulihkan versi ini", confirmed with "Pulihkan", turns both tabs back to the version and lists the automatic "Sebelum pemulihan" version', async () => {
    await versionItem(rina.page, 'Sebelum rapat').getByRole('button', { name: 'Pulihkan versi ini' }).click()
    const dialog = rina.page.getByRole('dialog', { name: 'Pulihkan versi ini?' })
    await dialog.waitFor()
    expect(clean(await dialog.textContent())).toContain('"Sebelum rapat"')
    await dialog.getByRole('button', { name: 'Pulihkan' }).click()

    for (const { page } of [rina, bayu]) {
      await expect.poll(() => pasalText(page, 'Pasal 7'), SYNC).toBe(originalPasal7)
      await expect.poll(() => documentText(page), SYNC).toBe(original)
    }
    const automatic = versionItem(rina.page, 'Sebelum pemulihan ke "Sebelum rapat"')
    await automatic.waitFor({ timeout: SYNC.timeout })
    expect(clean(await automatic.locator('.lencana.otomatis').textContent())).toBe('Otomatis')
    await dialog.waitFor({ state: 'hidden' })
  })

  test('a viewer sees the Riwayat versi panel and can compare, but cannot save or restore a version', async () => {
    const viewer = await person('viewer', 'Inspektorat')
    await openHistory(viewer.page)

    const item = versionItem(viewer.page, 'Sebelum rapat')
    await item.waitFor({ timeout: SYNC.timeout })
    expect(await item.getByRole('button', { name: 'Lihat' }).count()).toBe(1)
    expect(await item.getByRole('button', { name: 'Bandingkan' }).count()).toBe(1)
    expect(await viewer.page.getByRole('button', { name: 'Simpan versi' }).count()).toBe(0)
    expect(await viewer.page.getByLabel('Nama versi').count()).toBe(0)
    expect(await viewer.page.getByRole('button', { name: 'Pulihkan versi ini' }).count()).toBe(0)

    await item.getByRole('button', { name: 'Lihat' }).click()
    const banner = viewer.page.locator('.lihat-versi .spanduk')
    await expect.poll(async () => clean(await banner.textContent()), SYNC).toContain('Melihat versi "Sebelum rapat"')
    expect(await versionDocument(viewer.page).locator('article.pasal').count()).toBeGreaterThan(0)
    await viewer.page.context().close()
  })
})

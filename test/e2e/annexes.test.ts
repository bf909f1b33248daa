import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from '../harness/server.js'
import { launchBrowser, newProfile, signIn, SYNC } from '../harness/browser.js'

/** Penjelasan and Lampiran with a table, edited in Chromium through the toolbar and the keyboard. */

let server: TestServer
let browser: Browser
let admin: Page

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  admin = await (await newProfile(browser)).newPage()
  await signIn(admin, server, { username: server.admin.username, password: server.admin.password })
})

afterAll(async () => {
  await browser?.close()
  await server?.dispose()
})

/** A command of the toolbar's "Lainnya" menu, where the Penjelasan, Lampiran and table commands sit. */
async function moreCommand(page: Page, name: RegExp) {
  await page.getByRole('toolbar', { name: 'Alat penyusunan' }).getByRole('button', { name: 'Lainnya' }).click()
  return page.getByRole('menuitem', { name })
}

describe('Penjelasan and Lampiran in the browser', () => {
  test('adds a Penjelasan with an entry per Pasal, and a Lampiran with a table filled with Tab', async () => {
    await admin.getByLabel('Jenis peraturan').selectOption({ label: 'Peraturan Daerah Kabupaten' })
    await admin.getByLabel('Daerah', { exact: true }).fill('Sleman')
    await admin.getByLabel('Tempat penetapan').fill('Sleman')
    await admin.getByLabel('Peraturan Daerah Kabupaten Sleman tentang …').fill('Retribusi Bangunan')
    await admin.getByLabel('Peraturan Daerah Kabupaten Sleman tentang …').press('Enter')
    await admin.waitForURL((url) => url.pathname.startsWith('/dokumen/retribusi-bangunan-'), { timeout: SYNC.timeout })
    const naskah = admin.locator('.naskah[role=textbox]')
    await naskah.locator('.pasal').first().waitFor({ timeout: SYNC.timeout })
    const pasalCount = await naskah.locator('.pasal').count()
    await naskah.locator('.pasal .teks').first().click()

    await (await moreCommand(admin, /^Tambah Penjelasan/)).click()
    await expect.poll(() => naskah.locator('.penjelasan-pasal').count(), SYNC).toBe(pasalCount)
    expect(await naskah.locator('.penjelasan-pasal').first().getAttribute('data-label')).toBe('Pasal 1')
    expect(await naskah.locator('.penjelasan-pasal').last().innerText()).toContain('Cukup jelas.')

    await (await moreCommand(admin, /^Tambah Lampiran/)).click()
    await admin.keyboard.type('TARIF RETRIBUSI')
    await (await moreCommand(admin, /^Sisipkan tabel/)).click()
    await admin.keyboard.type('No')
    await admin.keyboard.press('Tab')
    await admin.keyboard.type('Uraian')
    await admin.keyboard.press('Tab')
    await admin.keyboard.type('1')
    const lampiran = naskah.locator('.lampiran')
    const cells = () =>
      lampiran.locator('tr').evaluateAll((rows) => rows.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent)))
    await expect.poll(cells, SYNC).toEqual([
      ['No', 'Uraian'],
      ['1', ''],
    ])
    expect(await lampiran.getAttribute('data-label')).toBe('Lampiran')
    expect(await lampiran.locator('.lampiran-judul').innerText()).toBe('TARIF RETRIBUSI')
    await (await moreCommand(admin, /^Tambah baris tabel/)).click()
    await expect.poll(() => lampiran.locator('tr').count(), SYNC).toBe(3)
  })

  test('S13: "Sisipkan rujukan" offers the Lampiran, and the reference follows when a second Lampiran makes it "Lampiran I"', async () => {
    const naskah = admin.locator('.naskah[role=textbox]')
    const firstPasal = naskah.locator('.pasal').first()
    await firstPasal.locator('.teks').first().click()
    await admin.keyboard.press('End')
    await admin.keyboard.type(' Tarif tercantum')
    await admin.keyboard.press('Control+K')
    const dialog = admin.getByRole('dialog', { name: 'Sisipkan rujukan' })
    await dialog.waitFor({ timeout: SYNC.timeout })
    const target = dialog.getByLabel('Pasal atau Lampiran')
    expect(await target.locator('optgroup[label="Lampiran"] option').allTextContents()).toEqual(['Lampiran — TARIF RETRIBUSI'])
    await target.selectOption({ label: 'Lampiran — TARIF RETRIBUSI' })
    await dialog.getByRole('button', { name: 'Sisipkan' }).press('Enter')
    await dialog.waitFor({ state: 'hidden', timeout: SYNC.timeout })
    const references = () => firstPasal.locator('span.rujukan').allTextContents()
    await expect.poll(references, SYNC).toEqual(['dalam Lampiran'])

    await (await moreCommand(admin, /^Tambah Lampiran/)).click()
    await admin.keyboard.type('FORMULIR')
    await expect.poll(() => naskah.locator('.lampiran').count(), SYNC).toBe(2)
    await expect.poll(references, SYNC).toEqual(['dalam Lampiran I'])
  })
})

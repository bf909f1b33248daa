import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startServer, type TestServer } from '../harness/server.js'
import { adminToken } from '../harness/clients.js'
import { launchBrowser, newProfile, outlinePasalLabels, pasalText, signIn, SYNC } from '../harness/browser.js'
import { readFileSync } from 'node:fs'
import { RAPERGUB_SPBE_ID as DOC } from '../../server/documents/rapergub-spbe.js'

/** Importing a Word draft from the list of drafts, as an admin does it in Chromium. */

let server: TestServer
let browser: Browser
let context: BrowserContext
let page: Page
let sampleDocx: Buffer

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  const token = await adminToken(server)
  const response = await fetch(`${server.url}/api/docs/${DOC}/export?format=docx`, { headers: { authorization: `Bearer ${token}` } })
  sampleDocx = Buffer.from(await response.arrayBuffer())
  context = await newProfile(browser)
  page = await context.newPage()
  await signIn(page, server, { username: server.admin.username, password: server.admin.password })
})

afterAll(async () => {
  await browser?.close()
  await server?.dispose()
})

const fileInput = () => page.locator('#judul-impor ~ label input[type=file]')

describe('Impor dari Word', () => {
  test('a file that is not .docx is refused on the page with a message, nothing uploaded', async () => {
    await fileInput().setInputFiles({ name: 'notulen.txt', mimeType: 'text/plain', buffer: Buffer.from('Notulen rapat') })
    await expect.poll(() => page.getByRole('alert').textContent(), SYNC).toBe('Pilih berkas Word (.docx).')
  })

  test("a Word file without a Pergub structure is refused with the server's explanation", async () => {
    await fileInput().setInputFiles({ name: 'kosong.docx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\u0003\u0004bukan-docx') })
    await expect.poll(() => page.getByRole('alert').textContent(), SYNC).toContain('tidak dapat dibaca sebagai dokumen Word')
  })

  test('choosing a .docx draft opens it as a new structured draft, with numbered Pasal in the outline', async () => {
    await fileInput().setInputFiles({ name: 'rapergub-spbe.docx', mimeType: 'application/octet-stream', buffer: sampleDocx })
    const dialog = page.getByRole('dialog', { name: 'Hasil impor dari Word' })
    await expect.poll(() => dialog.textContent(), SYNC).toContain('Dikenali 10 BAB, 30 Pasal')
    await dialog.getByRole('link', { name: 'Buka rancangan' }).click()
    await page.waitForURL((url) => url.pathname.startsWith('/dokumen/') && !url.pathname.endsWith(`/${DOC}`), { timeout: SYNC.timeout })
    await page.locator('.naskah .pasal').first().waitFor({ timeout: SYNC.timeout })
    expect(await outlinePasalLabels(page)).toHaveLength(30)
    expect(await pasalText(page, 'Pasal 7')).toContain('Peta Rencana SPBE Pemerintah Daerah disusun berdasarkan Arsitektur SPBE')
    // References typed in the Word file became live ones.
    expect(await page.locator('.naskah article.pasal[data-label="Pasal 7"] span.rujukan').count()).toBeGreaterThan(0)
  })

  test('a messy Perbup shows the import report in a dialog, whose link opens the new draft', async () => {
    await page.goto(`${server.url}/`)
    const buffer = readFileSync(new URL('../fixtures/regulations/perbup-pulang-pisau-satu-data.messy.docx', import.meta.url))
    await fileInput().setInputFiles({ name: 'perbup-pulang-pisau.docx', mimeType: 'application/octet-stream', buffer })
    const dialog = page.getByRole('dialog', { name: 'Hasil impor dari Word' })
    await expect
      .poll(() => dialog.textContent(), SYNC)
      .toContain('Rancangan Peraturan Bupati Pulang Pisau tentang Penyelenggaraan Satu Data Indonesia di Kabupaten Pulang Pisau')
    const report = dialog.getByRole('table', { name: 'Laporan impor' })
    const rows = await report.locator('tbody tr').allTextContents()
    expect(rows).toContainEqual(expect.stringMatching(/^Pasal 6Rincian "1\)" di bawah "a\." ditulis "1\."dinomori ulang menurut Lampiran II$/))
    // The Lampiran is stored in the draft now, so the report does not list it.
    expect(rows.filter((row) => row.startsWith('Lampiran'))).toEqual([])
    expect(await dialog.getByRole('table', { name: 'Data naskah yang dikenali' }).textContent()).toContain('Peraturan Bupati Pulang Pisau')
    // The new draft is listed behind the dialog.
    await expect.poll(() => page.locator('.daftar-dokumen').textContent(), SYNC).toContain('Peraturan Bupati Pulang Pisau')
    await dialog.getByRole('link', { name: 'Buka rancangan' }).click()
    await page.waitForURL((url) => url.pathname.startsWith('/dokumen/penyelenggaraan-satu-data'), {
      timeout: SYNC.timeout,
    })
    await page.locator('.naskah .pasal').first().waitFor({ timeout: SYNC.timeout })
    expect(await outlinePasalLabels(page)).toHaveLength(12)
    expect(await pasalText(page, 'Pasal 6')).toContain('memeriksa kesesuaian Data')
  })
})

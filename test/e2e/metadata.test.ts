import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from '../harness/server.js'
import { createAccount } from '../harness/clients.js'
import type { Locator } from 'playwright-core'
import { clean, launchBrowser, newProfile, signIn, SYNC } from '../harness/browser.js'

/**
 * "Rancangan baru" with its metadata (an admin creates a Perwali), then "Data naskah" changed in one
 * browser and drawn live in another (SPEC S18). Set RANCANG_SCREENSHOTS to a folder to keep screenshots.
 */

let server: TestServer
let browser: Browser
let admin: Page
let editor: Page
let docPath = ''
const SHOTS = process.env.RANCANG_SCREENSHOTS

const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false })
}

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

/** The words as laid out on the page, a line break counting as a space. */
const visibleWords = async (element: Locator) => clean(await element.innerText())
const judul = (page: Page) => visibleWords(page.locator('.naskah[role=textbox] .judul'))
const penutup = (page: Page) => visibleWords(page.locator('.naskah[role=textbox] .penutup'))

describe('draft metadata in the browser', () => {
  test('an admin creates a Peraturan Wali Kota with its region, official and place, and the editor draws them (S18)', async () => {
    await admin.getByLabel('Jenis peraturan').selectOption({ label: 'Peraturan Wali Kota' })
    await admin.getByLabel('Daerah', { exact: true }).fill('Samarinda')
    // The official follows jenis and daerah until typed over.
    await expect.poll(() => admin.getByLabel('Pejabat penanda tangan').inputValue(), SYNC).toBe('Wali Kota Samarinda')
    await admin.getByLabel('Tempat penetapan').fill('Samarinda')
    await admin.getByLabel('Peraturan Wali Kota Samarinda tentang …').fill('Pengelolaan Sampah')
    await shot(admin, 'rancangan-baru')
    await admin.getByLabel('Peraturan Wali Kota Samarinda tentang …').press('Enter')
    await admin.waitForURL((url) => url.pathname.startsWith('/dokumen/pengelolaan-sampah-'), { timeout: SYNC.timeout })
    docPath = new URL(admin.url()).pathname
    await admin.locator('.naskah .pasal').first().waitFor({ timeout: SYNC.timeout })

    expect(await judul(admin)).toBe('RANCANGAN PERATURAN WALI KOTA SAMARINDA NOMOR … TAHUN … TENTANG PENGELOLAAN SAMPAH')
    expect(await visibleWords(admin.locator('.naskah[role=textbox] .pembukaan'))).toContain('WALI KOTA SAMARINDA, Menimbang')
    expect(await visibleWords(admin.locator('.naskah[role=textbox] .pembukaan'))).toContain(
      'MEMUTUSKAN: Menetapkan PERATURAN WALI KOTA TENTANG PENGELOLAAN SAMPAH.',
    )
    const closing = await penutup(admin)
    expect(closing).toContain('penempatannya dalam Berita Daerah Kota Samarinda.')
    expect(closing).toContain('Ditetapkan di Samarinda')
    expect(closing).toContain('SEKRETARIS DAERAH KOTA SAMARINDA,')
    expect(closing).toContain('BERITA DAERAH KOTA SAMARINDA TAHUN … NOMOR …')
    expect(await visibleWords(admin.locator('.naskah[role=textbox]'))).not.toMatch(/GUBERNUR|Kalimantan Timur/i)
  })

  test('a Data naskah change in one browser redraws the judul and penutup live in another (S18)', async () => {
    const { user, password } = await createAccount(server, 'editor')
    editor = await (await newProfile(browser)).newPage()
    await signIn(editor, server, { username: user.username, password }, docPath)
    await editor.locator('.naskah .pasal').first().waitFor({ timeout: SYNC.timeout })

    await admin.getByRole('button', { name: 'Data naskah' }).click()
    const dialog = admin.getByRole('dialog', { name: 'Data naskah' })
    await dialog.getByLabel('Jenis peraturan').selectOption({ label: 'Peraturan Daerah Kota' })
    await dialog.getByLabel('Nomor', { exact: true }).fill('4')
    await dialog.getByLabel('Tahun', { exact: true }).fill('2026')
    await shot(admin, 'data-naskah')
    await dialog.getByLabel('Tahun', { exact: true }).press('Enter')
    await expect.poll(async () => ((await dialog.isVisible()) ? await dialog.innerText() : 'closed'), SYNC).toBe('closed')

    await expect.poll(() => judul(editor), SYNC).toBe('PERATURAN DAERAH KOTA SAMARINDA NOMOR 4 TAHUN 2026 TENTANG PENGELOLAAN SAMPAH')
    await editor.locator('.naskah[role=textbox] .diktum').scrollIntoViewIfNeeded()
    await shot(editor, 'pembukaan-perda-kota')
    const pembukaan = await visibleWords(editor.locator('.naskah[role=textbox] .pembukaan'))
    expect(pembukaan).toContain('Dengan Persetujuan Bersama DEWAN PERWAKILAN RAKYAT DAERAH KOTA SAMARINDA dan WALI KOTA SAMARINDA MEMUTUSKAN:')
    expect(pembukaan).toContain('Menetapkan PERATURAN DAERAH TENTANG PENGELOLAAN SAMPAH.')
    const closing = await penutup(editor)
    expect(closing).toContain('pengundangan Peraturan Daerah ini dengan penempatannya dalam Lembaran Daerah Kota Samarinda.')
    expect(closing).toContain('LEMBARAN DAERAH KOTA SAMARINDA TAHUN 2026 NOMOR …')
    expect(closing).toContain('NOREG PERATURAN DAERAH KOTA SAMARINDA: (…)')
    await editor.locator('.naskah .penutup-ttd').scrollIntoViewIfNeeded()
    await shot(editor, 'penutup-perda-kota')
  })

  test('a viewer sees Data naskah but cannot change it', async () => {
    const { user, password } = await createAccount(server, 'viewer')
    const viewer = await (await newProfile(browser)).newPage()
    await signIn(viewer, server, { username: user.username, password }, docPath)
    await viewer.getByRole('button', { name: 'Data naskah' }).click()
    const dialog = viewer.getByRole('dialog', { name: 'Data naskah' })
    expect(await dialog.getByLabel('Daerah', { exact: true }).inputValue()).toBe('Samarinda')
    expect(await dialog.getByLabel('Daerah', { exact: true }).isDisabled()).toBe(true)
    expect(await dialog.getByRole('button', { name: 'Simpan' }).count()).toBe(0)
    await shot(viewer, 'data-naskah-baca')
    await viewer.keyboard.press('Escape')
    await expect.poll(() => dialog.isVisible(), SYNC).toBe(false)
  })
})

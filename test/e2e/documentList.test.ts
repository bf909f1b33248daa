/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, createAccount, roundTrip } from '../harness/clients.js'
import { ayatText, pasal } from '../harness/document.js'
import { launchBrowser, newProfile, SCREENS, signIn, SYNC } from '../harness/browser.js'

/**
 * Issue 15 in Chromium: the document list shows who changed each draft last and when; an admin
 * renames and archives drafts (P32, S23). Set RANCANG_SCREENSHOTS to a folder to keep screenshots.
 */

const SAMPLE = 'rapergub-spbe'
const SHOTS = process.env.RANCANG_SCREENSHOTS

let server: TestServer
let browser: Browser
let editor: { token: string; name: string }
let admin: string

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  const account = await createAccount(server, 'editor', 'Bidang Aplikasi Informatika')
  editor = { token: account.token, name: account.user.name }
  admin = (await createAccount(server, 'admin')).token
})

afterAll(async () => {
  await browser?.close()
  await server?.dispose()
})

const item = (page: Page, title: RegExp | string) => page.getByTestId('dokumen').filter({ hasText: title })

describe.each(SCREENS.slice(0, 2))('the document list at $width×$height', (screen) => {
  let page: Page

  /** A draft of this screen's own, never edited. */
  const subject = `Satu Data ${screen.width}`

  beforeAll(async () => {
    await api(server, 'POST', '/api/docs', { token: admin, body: { nama: subject } })
    // The sample edited after it was created, so the sample is the most recently changed.
    const client = connect(server, SAMPLE, editor.token)
    await client.synced
    ayatText(pasal(client.doc, 1)).insert(0, 'Diubah. ')
    await roundTrip(client)
    client.destroy()
    page = await (await newProfile(browser, screen)).newPage()
    await signIn(page, server, server.admin)
  })
  afterAll(async () => {
    await page?.context().close()
  })

  it('shows when each draft was changed, relative and exact, and by whom; a draft never changed says so', async () => {
    const sample = item(page, 'Sistem Pemerintahan Berbasis Elektronik')
    await expect.poll(() => sample.locator('.meta').textContent(), SYNC).toMatch(/Diubah (baru saja|\d+ menit yang lalu)/)
    const meta = (await sample.locator('.meta').textContent())!.replace(/\s+/g, ' ')
    expect(meta).toMatch(new RegExp(`\\(hari ini pukul \\d{2}\\.\\d{2}\\) oleh ${editor.name}, Bidang Aplikasi Informatika`))
    expect(await sample.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect((await item(page, subject).locator('.meta').textContent())!.replace(/\s+/g, ' ')).toMatch(/Dibuat .*belum diubah/)
    // Most recently changed first.
    const titles = await page.getByTestId('dokumen').locator('.judul-dokumen').allTextContents()
    expect(titles[0]).toContain('Sistem Pemerintahan Berbasis Elektronik')
    expect(titles[1]).toContain(subject)
    // Nothing is cut off at this width: the actions sit beside (or under) the title, inside the page.
    const box = (await page.getByRole('button', { name: new RegExp(`^Arsipkan .*${subject}`) }).boundingBox())!
    expect(box.x + box.width).toBeLessThanOrEqual(screen.width)
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/documents-${screen.width}.png` })
  })

  it('renames a draft from the list with the keyboard; Escape leaves it as it was', async () => {
    const title = `Rancangan Peraturan Gubernur tentang ${subject} Terpadu`
    await page.getByRole('button', { name: new RegExp(`^Ganti nama .*${subject}`) }).click()
    const input = page.getByLabel('Nama baru')
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true)
    await input.press('Escape')
    await expect.poll(() => input.count()).toBe(0)

    await page.getByRole('button', { name: new RegExp(`^Ganti nama .*${subject}`) }).click()
    await input.fill(title)
    await input.press('Enter')
    await expect.poll(() => item(page, title).count(), SYNC).toBe(1)
  })

  it('archives a draft: gone from the list, under "Diarsipkan", opened from there, and back when taken out of the archive', async () => {
    await page.getByRole('button', { name: new RegExp(`^Arsipkan .*${subject}`) }).click()
    await expect.poll(() => item(page, subject).count(), SYNC).toBe(0)
    await page.getByRole('button', { name: 'Diarsipkan' }).click()
    await expect.poll(() => item(page, subject).count(), SYNC).toBe(1)
    expect(await page.getByRole('button', { name: 'Diarsipkan' }).getAttribute('aria-pressed')).toBe('true')

    await item(page, subject).getByRole('link').click()
    await page.locator('.naskah .pasal').first().waitFor()
    await page.goBack()
    await page.getByRole('button', { name: new RegExp(`^Keluarkan dari arsip .*${subject}`) }).click()
    await expect.poll(() => item(page, subject).count(), SYNC).toBe(0)
    await page.getByRole('button', { name: 'Aktif' }).click()
    await expect.poll(() => item(page, subject).count(), SYNC).toBe(1)
  })
})

describe('the document list for an editor', () => {
  it('offers no rename or archive', async () => {
    const account = await createAccount(server, 'editor', 'Biro Hukum')
    const page = await (await newProfile(browser, SCREENS[0])).newPage()
    await signIn(page, server, { username: account.user.username, password: account.password })
    await item(page, 'Sistem Pemerintahan Berbasis Elektronik').waitFor()
    expect(await page.getByRole('button', { name: /^(Ganti nama|Arsipkan)/ }).count()).toBe(0)
    await page.context().close()
  })
})

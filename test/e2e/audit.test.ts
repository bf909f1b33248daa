/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { startServer, type TestServer } from '../harness/server.js'
import { api, createAccount } from '../harness/clients.js'
import { launchBrowser, newProfile, openAccountMenu, signIn, SYNC } from '../harness/browser.js'

/** Issue 16 in Chromium: an admin reads "Log aktivitas", filters it, pages through it and downloads it, by keyboard. */

let server: TestServer
let browser: Browser
/** More failed sign-ins than one page holds (50). */
const FAILURES = 55

beforeAll(async () => {
  server = await startServer({ env: { LOGIN_FAILURES_PER_USERNAME: '1000', LOGIN_FAILURES_PER_ADDRESS: '1000' } })
  browser = await launchBrowser()
  await createAccount(server, 'editor', 'Bidang Statistik')
  for (let i = 0; i < FAILURES; i++) {
    expect((await api(server, 'POST', '/api/login', { body: { username: `tamu${i}`, password: 'salah-sekali' } })).status).toBe(401)
  }
})

afterAll(async () => {
  await browser?.close()
  await server?.dispose()
})

describe('Log aktivitas', () => {
  test('an admin opens it from the header, filters by action, loads more, and downloads the filtered log as CSV, all by keyboard', async () => {
    const context = await newProfile(browser)
    try {
      const page = await context.newPage()
      await signIn(page, server, server.admin)
      await openAccountMenu(page)
      const link = page.getByRole('link', { name: 'Log aktivitas' })
      await link.focus()
      await page.keyboard.press('Enter')
      await page.waitForURL((url) => url.pathname === '/log-aktivitas')
      await page.getByRole('heading', { name: 'Log aktivitas' }).waitFor()

      const rows = page.locator('table.tabel-log tbody tr')
      await expect.poll(() => rows.count(), SYNC).toBe(50)
      // Newest first: the admin's own sign-in tops the list, in Indonesian, with the address.
      await expect.poll(async () => (await rows.first().innerText()).replace(/\s+/g, ' '), SYNC).toMatch(/admin Masuk admin 127\.0\.0\.1$/)
      expect(await page.getByRole('columnheader').allInnerTexts()).toEqual(['WAKTU', 'PENGGUNA', 'TINDAKAN', 'SASARAN', 'ALAMAT'])

      await page.getByLabel('Tindakan').focus()
      await page.getByLabel('Tindakan').selectOption({ label: 'Gagal masuk' })
      await page.getByLabel('Pengguna').focus()
      await page.keyboard.press('Enter')
      await expect.poll(() => rows.filter({ hasText: 'Gagal masuk' }).count(), SYNC).toBe(50)
      expect(await rows.count()).toBe(50)
      expect(await rows.first().innerText()).toContain(`tamu${FAILURES - 1}`)

      const more = page.getByRole('button', { name: 'Muat lebih banyak' })
      await more.focus()
      await page.keyboard.press('Enter')
      await expect.poll(() => rows.count(), SYNC).toBe(FAILURES)
      expect(await rows.last().innerText()).toContain('tamu0')
      expect(await more.count()).toBe(0)

      if (process.env.RANCANG_SCREENSHOT_DIR) {
        await page.getByRole('heading', { name: 'Log aktivitas' }).scrollIntoViewIfNeeded()
        await page.screenshot({ path: `${process.env.RANCANG_SCREENSHOT_DIR}/log-aktivitas.png` })
      }

      const download = page.waitForEvent('download')
      await page.getByRole('button', { name: 'Unduh CSV' }).focus()
      await page.keyboard.press('Enter')
      const file = await download
      expect(file.suggestedFilename()).toMatch(/^log-aktivitas-\d{4}-\d{2}-\d{2}\.csv$/)
      const bytes = await readFile((await file.path())!)
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      const lines = bytes.toString('utf8').slice(1).trim().split('\r\n')
      expect(lines[0]).toBe('Waktu,Pengguna,ID akun,Tindakan,Kode tindakan,Sasaran,Rincian,Alamat')
      expect(lines.length).toBe(FAILURES + 1)
      expect(lines.slice(1).every((line) => line.includes(',Gagal masuk,login.failed,'))).toBe(true)
    } finally {
      await context.close()
    }
  })

  test('is not offered to other roles, and its address tells them it is for admins', async () => {
    const editor = await createAccount(server, 'editor', 'Bidang Persandian')
    const context = await newProfile(browser)
    try {
      const page = await context.newPage()
      await signIn(page, server, { username: editor.user.username, password: editor.password })
      await openAccountMenu(page)
      expect(await page.getByRole('link', { name: 'Log aktivitas' }).count()).toBe(0)
      await page.goto(`${server.url}/log-aktivitas`)
      await expect.poll(() => page.getByRole('alert').innerText(), SYNC).toBe('Hanya admin yang dapat membaca log aktivitas.')
      expect(await page.locator('table').count()).toBe(0)
    } finally {
      await context.close()
    }
  })
})

/// <reference lib="dom" />
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startServer, type TestServer } from '../harness/server.js'
import { api, createAccount } from '../harness/clients.js'
import { documentText, launchBrowser, newProfile, openAccountMenu, openEditor, signIn, SYNC } from '../harness/browser.js'
import { RAPERGUB_SPBE_ID as DOC, RAPERGUB_SPBE_TITLE as SAMPLE_TITLE } from '../../server/documents/rapergub-spbe.js'

/** Issue 3 in Chromium: signing in, roles as the editor shows them, managing accounts, signing out. */

let server: TestServer
let browser: Browser
const profiles: BrowserContext[] = []

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

afterEach(async () => {
  await Promise.all(profiles.splice(0).map((context) => context.close()))
})

afterAll(async () => {
  await browser?.close()
  await server?.dispose()
})

/** A new browser profile, closed after the test. */
async function profile(): Promise<BrowserContext> {
  const context = await newProfile(browser)
  profiles.push(context)
  return context
}

const credentials = (account: { user: { username: string }; password: string }) => ({ username: account.user.username, password: account.password })

const text = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').trim()

/** Starts recording every text the save indicator shows; returns a reader of the sequence so far. */
async function recordSaveStatus(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = []
    ;(window as unknown as { savedStates: string[] }).savedStates = seen
    const record = () => {
      const shown = document.querySelector('[data-testid="status-simpan"]')?.textContent?.trim()
      if (shown && seen[seen.length - 1] !== shown) seen.push(shown)
    }
    new MutationObserver(record).observe(document.querySelector('.status')!, { subtree: true, childList: true, characterData: true })
    record()
  })
  return () => page.evaluate(() => [...(window as unknown as { savedStates: string[] }).savedStates])
}

/** The editor is read-only as a reader sees it: not editable, "Baca saja", no toolbar. */
async function expectReadOnly(page: Page) {
  await expect.poll(() => page.locator('.naskah').getAttribute('contenteditable'), SYNC).toBe('false')
  await expect.poll(() => text(page, '.status .baca-saja'), SYNC).toBe('Baca saja')
  expect(await page.getByRole('toolbar', { name: 'Alat penyusunan' }).count()).toBe(0)
  expect(await page.getByTestId('status-simpan').count()).toBe(0)
  // Typing into the text changes nothing.
  const before = await documentText(page)
  await page.locator('.naskah article.pasal[data-label="Pasal 3"] p.teks').first().click()
  await page.keyboard.type('TIDAKBOLEH')
  await page.keyboard.press('Enter')
  expect(await documentText(page)).toBe(before)
}

describe('signing in', () => {
  test('the login page speaks Bahasa Indonesia: a wrong password is refused, the right one opens the document list with the sample Rapergub', async () => {
    const account = await createAccount(server, 'editor', 'Bidang Statistik')
    const page = await (await profile()).newPage()
    await page.goto(`${server.url}/`)
    await page.waitForURL((url) => url.pathname === '/masuk')
    expect(await page.locator('html').getAttribute('lang')).toBe('id')
    await page.getByRole('button', { name: 'Masuk' }).waitFor()

    await page.getByLabel('Nama pengguna').fill(account.user.username)
    await page.getByLabel('Kata sandi').fill('bukan-kata-sandinya')
    await page.getByRole('button', { name: 'Masuk' }).click()
    await expect.poll(() => text(page, '[role=alert]'), SYNC).toBe('Nama pengguna atau kata sandi salah.')
    expect(page.url()).toContain('/masuk')
    expect(await page.getByLabel('Kata sandi').inputValue()).toBe('')

    await page.getByLabel('Kata sandi').fill(account.password)
    await page.getByRole('button', { name: 'Masuk' }).click()
    await page.waitForURL((url) => url.pathname === '/')
    await page.getByRole('heading', { name: 'Rancangan peraturan' }).waitFor()
    await page.getByRole('link', { name: SAMPLE_TITLE }).waitFor()
  })

  test("opening the sample from the list shows the editor, with the signed-in person's name and bidang in the header", async () => {
    const account = await createAccount(server, 'editor', 'Bidang Persandian')
    const page = await (await profile()).newPage()
    await signIn(page, server, credentials(account), '/')

    await page.getByRole('link', { name: SAMPLE_TITLE }).click()

    await page.waitForURL((url) => url.pathname === `/dokumen/${DOC}`)
    await page.locator('.naskah article.pasal[data-label="Pasal 1"]').waitFor()
    expect(await page.locator('.naskah').getAttribute('contenteditable')).toBe('true')
    expect(await text(page, 'header.kepala .identitas .nama')).toBe(account.user.name)
    expect(await text(page, 'header.kepala .identitas .bidang')).toBe('Bidang Persandian · Penyusun')
    expect(await text(page, 'header.kepala .judul-halaman')).toBe(SAMPLE_TITLE)
  })

  test("an edit made after signing in reaches another person's tab and is then shown as stored", async () => {
    const writer = await createAccount(server, 'editor', 'Bidang Aplikasi Informatika')
    const reader = await createAccount(server, 'editor', 'Bidang Persandian')
    const [mine, theirs] = await Promise.all([
      openEditor(browser, server, credentials(writer), DOC, { context: await profile() }),
      openEditor(browser, server, credentials(reader), DOC, { context: await profile() }),
    ])
    const saveStates = await recordSaveStatus(mine.page)

    await mine.page.locator('.naskah article.pasal[data-label="Pasal 2"] p.teks').first().click()
    await mine.page.keyboard.type(' SUNTINGANMASUK')

    await expect.poll(() => documentText(theirs.page), SYNC).toContain('SUNTINGANMASUK')
    await expect
      .poll(async () => {
        const states = await saveStates()
        return states.slice(states.indexOf('Menyimpan…'))
      }, SYNC)
      .toEqual(['Menyimpan…', 'Semua perubahan tersimpan'])
  })
})

describe('roles in the editor', () => {
  test("a viewer's editor is read-only, and the viewer appears under their bidang in an editor's presence list", async () => {
    const viewer = await createAccount(server, 'viewer', 'Bidang Statistik')
    const editor = await createAccount(server, 'editor', 'Bidang Aplikasi Informatika')
    const [theirs, mine] = await Promise.all([
      openEditor(browser, server, credentials(viewer), DOC, { context: await profile() }),
      openEditor(browser, server, credentials(editor), DOC, { context: await profile() }),
    ])
    const editorText = await documentText(mine.page)

    await expectReadOnly(theirs.page)

    const group = mine.page.locator('.hadir .kelompok').filter({ has: mine.page.getByRole('heading', { name: 'Bidang Statistik' }) })
    const person = group.getByTestId('hadir-orang').filter({ hasText: viewer.user.name })
    await person.waitFor({ timeout: SYNC.timeout })
    expect(((await person.locator('.peran').textContent()) ?? '').trim()).toBe('Pembaca')
    expect(await documentText(mine.page)).toBe(editorText)
  })

  test("an admin lowering an editor's role to viewer makes the editor's open tab read-only within seconds", async () => {
    const editor = await createAccount(server, 'editor', 'Bidang Persandian')
    const { page } = await openEditor(browser, server, credentials(editor), DOC, { context: await profile() })
    expect(await page.locator('.naskah').getAttribute('contenteditable')).toBe('true')
    await page.getByRole('toolbar', { name: 'Alat penyusunan' }).waitFor()
    const admin = await (await profile()).newPage()
    await signIn(admin, server, server.admin, '/pengguna')

    await admin.getByLabel(`Peran ${editor.user.name}`).selectOption('viewer')
    await expect.poll(() => text(admin, '.halaman-pengguna [role=status]'), SYNC).toBe(`Peran ${editor.user.name} diubah menjadi Pembaca.`)

    await expectReadOnly(page)
    await expect.poll(() => text(page, 'header.kepala .identitas .bidang'), SYNC).toBe('Bidang Persandian · Pembaca')
  })
})

describe('managing accounts', () => {
  test('an admin creates an account on "Kelola pengguna" and that account can sign in', async () => {
    const admin = await (await profile()).newPage()
    await signIn(admin, server, server.admin, '/')
    await openAccountMenu(admin)
    await admin.getByRole('link', { name: 'Kelola pengguna' }).click()
    await admin.waitForURL((url) => url.pathname === '/pengguna')

    await admin.getByLabel('Nama lengkap').fill('Rina Wulandari')
    await admin.getByLabel('Nama pengguna').fill('rina.wulandari')
    await admin.getByLabel('Bidang').fill('Bidang Statistik')
    await admin.getByRole('combobox', { name: 'Peran', exact: true }).selectOption('commenter')
    await admin.getByLabel('Kata sandi awal').fill('sandi-awal-rina-2026')
    await admin.getByRole('button', { name: 'Tambah akun' }).click()

    await expect.poll(() => text(admin, '.halaman-pengguna [role=status]'), SYNC).toBe('Akun rina.wulandari dibuat.')
    await admin.getByRole('row').filter({ hasText: 'rina.wulandari' }).waitFor()

    const page = await (await profile()).newPage()
    await signIn(page, server, { username: 'rina.wulandari', password: 'sandi-awal-rina-2026' }, '/')
    expect(await text(page, 'header.kepala .identitas .nama')).toBe('Rina Wulandari')
    expect(await text(page, 'header.kepala .identitas .bidang')).toBe('Bidang Statistik · Pemberi komentar')
    await page.getByRole('link', { name: SAMPLE_TITLE }).waitFor()
  })

  test('"Keluar" signs out, returns to the login page and ends the session on the server', async () => {
    const account = await createAccount(server, 'editor', 'Bidang Statistik')
    const page = await (await profile()).newPage()
    await signIn(page, server, credentials(account), '/')
    const token = await page.evaluate(() => (JSON.parse(localStorage.getItem('rancang.sesi') ?? 'null') as { token: string } | null)?.token)
    expect(token).toBeTruthy()

    await openAccountMenu(page)
    await page.getByRole('button', { name: 'Keluar', exact: true }).click()

    await page.waitForURL((url) => url.pathname === '/masuk')
    await page.getByRole('button', { name: 'Masuk' }).waitFor()
    expect(await page.getByRole('button', { name: 'Keluar', exact: true }).count()).toBe(0)
    expect(await page.evaluate(() => localStorage.getItem('rancang.sesi'))).toBeNull()
    expect((await api(server, 'GET', '/api/me', { token: token! })).status).toBe(401)
    // Coming back to a draft asks to sign in again.
    await page.goto(`${server.url}/dokumen/${DOC}`)
    await page.waitForURL((url) => url.pathname === '/masuk')
  })
  test('"Keluar dari semua perangkat", reached by keyboard, signs out this tab and ends the open editor on another device', async () => {
    const account = await createAccount(server, 'editor', 'Bidang Statistik')
    const laptop = await (await profile()).newPage()
    const phone = await (await profile()).newPage()
    await signIn(laptop, server, credentials(account), '/')
    await signIn(phone, server, credentials(account), `/dokumen/${DOC}`)
    await phone.locator('.naskah .pasal').first().waitFor()

    await openAccountMenu(laptop)
    const everywhere = laptop.getByRole('button', { name: 'Keluar dari semua perangkat' })
    await laptop.getByRole('button', { name: 'Keluar', exact: true }).focus()
    await laptop.keyboard.press('Tab')
    expect(await everywhere.evaluate((button) => button === document.activeElement)).toBe(true)
    await laptop.keyboard.press('Enter')

    await laptop.waitForURL((url) => url.pathname === '/masuk')
    await phone.waitForURL((url) => url.pathname === '/masuk')
  })
})

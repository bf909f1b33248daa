/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { User } from '../../shared/accounts.js'
import { startServer, type TestServer } from '../harness/server.js'
import { api, createAccount } from '../harness/clients.js'
import type { Thread } from '../../shared/comments.js'
import { launchBrowser, newProfile, openEditor, SCREENS, signIn, SYNC } from '../harness/browser.js'

/**
 * Issue 15 in Chromium: Bayu @mentions Rina in a comment, picked from the list with the keyboard;
 * Rina's bell shows 1 at once, and opening it takes her to the thread. Set RANCANG_SCREENSHOTS to a
 * folder to keep screenshots.
 */

const SAMPLE = 'rapergub-spbe'
const SHOTS = process.env.RANCANG_SCREENSHOTS

let server: TestServer
let browser: Browser
let rina: { user: User; password: string; token: string; page: Page }
let bayu: { user: User; password: string; token: string; page: Page }

const bell = (page: Page) => page.getByTestId('lonceng')

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  const [r, b] = await Promise.all([createAccount(server, 'editor', 'Bidang Aplikasi Informatika'), createAccount(server, 'commenter', 'Biro Hukum')])
  const open = async (account: { user: User; password: string; token: string }) => {
    const context = await newProfile(browser, SCREENS[1])
    const { page } = await openEditor(browser, server, { username: account.user.username, password: account.password }, SAMPLE, { context })
    return { ...account, page }
  }
  ;[rina, bayu] = await Promise.all([open(r!), open(b!)])
})

afterAll(async () => {
  await browser?.close()
  await server?.dispose()
})

describe('an @mention in a comment', () => {
  it('is offered while typing "@", chosen with the arrow keys and Enter, and stored by username', async () => {
    await bayu.page.locator('.naskah article.pasal').first().click()
    const box = bayu.page.getByLabel(/^Komentar baru pada Pasal/)
    await box.click()
    // The usernames are "editorN" and "commenterN": the first letters offer Rina among others.
    await box.pressSequentially('Mohon @e')
    const options = bayu.page.getByRole('listbox', { name: 'Sebut orang' }).getByRole('option')
    await expect.poll(() => options.filter({ hasText: rina.user.name }).count(), SYNC).toBe(1)
    for (let i = 0; i < 6 && (await options.filter({ hasText: rina.user.name }).getAttribute('aria-selected')) !== 'true'; i++) {
      await box.press('ArrowDown')
    }
    expect(await box.getAttribute('aria-activedescendant')).toBe(await options.filter({ hasText: rina.user.name }).getAttribute('id'))
    await box.press('Enter')
    expect(await box.inputValue()).toBe(`Mohon @${rina.user.username} `)
    expect(await options.count()).toBe(0)
    await box.pressSequentially('periksa definisi ini.')
    await bayu.page.getByRole('button', { name: 'Beri komentar' }).click()
    const card = bayu.page.getByTestId('utas').filter({ hasText: 'periksa definisi ini' })
    await expect.poll(() => card.count(), SYNC).toBe(1)
    expect(await card.locator('.sebutan').allTextContents()).toEqual([`@${rina.user.username}`])
    const threads = (await api<Thread[]>(server, 'GET', `/api/docs/${SAMPLE}/threads`, { token: bayu.token })).body
    expect(threads.find((t) => t.messages[0]!.text.includes('periksa definisi ini'))?.messages[0]!.mentions).toEqual([rina.user.username])
  })

  it("lights the mentioned person's bell at once, and only theirs", async () => {
    await expect.poll(() => bell(rina.page).getAttribute('aria-label'), SYNC).toBe('Pemberitahuan, 1 belum dibaca')
    expect(await bell(rina.page).textContent()).toContain('1')
    expect(await bell(bayu.page).getAttribute('aria-label')).toBe('Pemberitahuan, tidak ada yang baru')
  })

  it('opens the thread from the bell, and counts it read', async () => {
    await rina.page.locator('.naskah article.pasal').nth(3).click()
    await bell(rina.page).click()
    const list = rina.page.getByRole('region', { name: 'Pemberitahuan' })
    const entry = list.getByRole('button', { name: new RegExp(`${bayu.user.name} menyebut Anda di Pasal`) })
    await entry.waitFor()
    expect(await entry.textContent()).toContain('periksa definisi ini')
    if (SHOTS) await rina.page.screenshot({ path: `${SHOTS}/bell-${SCREENS[1].width}.png` })
    await entry.click()
    const card = rina.page.locator('[data-testid=utas].aktif')
    await expect.poll(() => card.textContent(), SYNC).toContain('periksa definisi ini')
    expect(await card.isVisible()).toBe(true)
    expect(await rina.page.getByRole('tab', { name: 'Komentar' }).getAttribute('aria-selected')).toBe('true')
    await expect.poll(() => bell(rina.page).getAttribute('aria-label'), SYNC).toBe('Pemberitahuan, tidak ada yang baru')
    expect(new URL(rina.page.url()).search).toBe('')
  })

  it("notifies Bayu of Rina's reply; on a projector, his bell counts it on the document list and Escape closes its list", async () => {
    const card = rina.page.locator('[data-testid=utas].aktif')
    await card.getByLabel('Balas utas ini').fill('Sudah saya periksa.')
    await card.getByRole('button', { name: 'Balas' }).click()

    const page = await (await newProfile(browser, SCREENS[0])).newPage()
    await signIn(page, server, { username: bayu.user.username, password: bayu.password })
    await expect.poll(() => bell(page).getAttribute('aria-label'), SYNC).toBe('Pemberitahuan, 1 belum dibaca')
    const box = (await bell(page).boundingBox())!
    expect(box.x + box.width).toBeLessThanOrEqual(SCREENS[0].width)
    await bell(page).click()
    const list = page.getByRole('region', { name: 'Pemberitahuan' })
    await list.getByRole('button', { name: new RegExp(`${rina.user.name} membalas utas Anda`) }).waitFor()
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/bell-${SCREENS[0].width}.png` })
    await page.keyboard.press('Escape')
    await expect.poll(() => list.count()).toBe(0)
    expect(await bell(page).evaluate((el) => el === document.activeElement)).toBe(true)
    await page.context().close()
  })
})

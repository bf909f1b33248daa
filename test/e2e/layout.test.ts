/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { User } from '../../shared/accounts.js'
import { startServer, type TestServer } from '../harness/server.js'
import { createAccount } from '../harness/clients.js'
import { RAPERGUB_SPBE_ID as DOC, RAPERGUB_SPBE_TITLE as TITLE } from '../../server/documents/rapergub-spbe.js'
import { clickInto, launchBrowser, newProfile, openEditor, outlineEntry, pasalArticle, SCREENS, SYNC } from '../harness/browser.js'

/**
 * Issue 15 in Chromium, at 1024×768, 1366×768 and 1920×1080: the panels reachable at every size,
 * the text never squeezed, a one-line header, the draft's title in the tab, the print route,
 * labels per role, cursor labels, following the presenter and mode rapat.
 * With SCREENSHOT_DIR set, the editor at each size is saved there as editor-<width>.png.
 */

interface Person {
  readonly user: User
  readonly context: BrowserContext
  readonly page: Page
}

let server: TestServer
let browser: Browser

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.dispose()
})

async function person(role: User['role'], bidang: string, screen: { width: number; height: number }): Promise<Person> {
  const account = await createAccount(server, role, bidang)
  const context = await newProfile(browser, screen)
  const { page } = await openEditor(browser, server, { username: account.user.username, password: account.password }, DOC, { context })
  return { user: account.user, context, page }
}

/** Opens the side panels by keyboard where they are a drawer (narrow screens); on wide screens they are always there. */
async function openPanels(page: Page) {
  const button = page.locator('button.buka-laci')
  if (await button.isVisible()) {
    if ((await button.getAttribute('aria-expanded')) !== 'true') {
      await button.focus()
      await page.keyboard.press('Enter')
    }
  }
  await expect.poll(() => page.locator('#panel-samping').isVisible(), SYNC).toBe(true)
}

/** Where `selector` sits relative to the area the text scrolls in: its top, in pixels from that area's top. */
const offsetInScroller = (page: Page, selector: string) =>
  page.evaluate((selector) => {
    const scroller = document.querySelector('main.tengah')!.getBoundingClientRect()
    const target = document.querySelector(selector)?.getBoundingClientRect()
    return target ? { top: target.top - scroller.top, bottom: target.bottom - scroller.top, height: scroller.height } : null
  }, selector)

const pasalSelector = async (page: Page, label: string) => `[data-id="${await pasalArticle(page, label).getAttribute('data-id')}"]`

/** Whether the Pasal labelled `label` is at the top of the text of `page` (where following puts it, below the bar). */
async function pasalAtTop(page: Page, label: string): Promise<boolean> {
  const where = await offsetInScroller(page, await pasalSelector(page, label))
  return where !== null && where.top > -5 && where.top < 90
}

describe.each(SCREENS)('at $width×$height', (screen) => {
  let editor: Person
  let presenter: Person

  beforeAll(async () => {
    ;[editor, presenter] = await Promise.all([person('editor', 'Bidang Aplikasi Informatika', screen), person('editor', 'Biro Hukum', screen)])
  })

  afterAll(async () => {
    await Promise.all([editor?.context.close(), presenter?.context.close()])
  })

  test('the text keeps a readable width, the header fits on one line, and the tab shows the draft title', async () => {
    const { page } = editor
    const measured = await page.evaluate(() => ({
      header: document.querySelector('header.kepala')!.getBoundingClientRect().height,
      paper: document.querySelector('.naskah')!.getBoundingClientRect().width,
      pageWidth: document.documentElement.scrollWidth,
    }))
    console.log(`${screen.width}×${screen.height}: header ${measured.header}px high, paper ${Math.round(measured.paper)}px wide`)
    expect(measured.paper).toBeGreaterThanOrEqual(700)
    expect(measured.header).toBeLessThanOrEqual(60)
    expect(measured.pageWidth).toBeLessThanOrEqual(screen.width)
    expect(await page.title()).toBe(`${TITLE} — Rancang`)
  })

  test('the toolbar keeps to one row, and its "Lainnya" menu opens, moves and closes by keyboard', async () => {
    const { page } = editor
    const toolbar = page.getByRole('toolbar', { name: 'Alat penyusunan' })
    const rows = await toolbar.evaluate(
      (bar) =>
        new Set(
          [...bar.querySelectorAll(':scope > .kelompok-alat button')]
            .filter((b) => !b.closest('[role=menu]'))
            .map((b) => Math.round(b.getBoundingClientRect().top)),
        ).size,
    )
    const height = (await toolbar.boundingBox())!.height
    console.log(`${screen.width}×${screen.height}: toolbar ${rows} row(s), ${height}px high`)
    expect(rows).toBe(1)

    await clickInto(page, 'Pasal 1')
    const more = toolbar.getByRole('button', { name: 'Lainnya' })
    await more.focus()
    await page.keyboard.press('ArrowDown')
    const menu = page.getByRole('menu', { name: 'Perintah lainnya' })
    await menu.waitFor()
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '')
    const enabled = await menu.locator('[role=menuitem]:not(:disabled)').allTextContents()
    expect(enabled.length).toBeGreaterThan(1)
    await expect.poll(focused, SYNC).toBe(enabled[0])
    await page.keyboard.press('ArrowDown')
    expect(await focused()).toBe(enabled[1])
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('ArrowUp')
    expect(await focused()).toBe(enabled.at(-1))
    await page.keyboard.press('Escape')
    await menu.waitFor({ state: 'hidden' })
    expect(await more.evaluate((element) => element === document.activeElement)).toBe(true)
    expect(await more.getAttribute('aria-expanded')).toBe('false')
  })

  test('every side panel can be opened by keyboard and used: Ctrl+Alt+Shift+M opens the comment form, and a comment is posted', async () => {
    const { page } = editor
    await clickInto(page, 'Pasal 1')
    await page.keyboard.press('Control+Alt+Shift+M')
    const box = page.getByRole('textbox', { name: 'Komentar baru pada Pasal 1' })
    await expect.poll(() => box.evaluate((element) => element === document.activeElement), SYNC).toBe(true)
    const text = `Mohon dicek pada ${screen.width} piksel`
    await box.fill(text)
    await page.getByRole('button', { name: 'Beri komentar' }).click()
    await page.locator('#panel-komentar').getByText(text).waitFor()
    for (const tab of ['Kesepakatan', 'Riwayat versi', 'Usulan', 'Komentar']) {
      await openPanels(page)
      await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click()
      const panel = page.getByRole('tabpanel')
      await expect.poll(() => panel.isVisible(), SYNC).toBe(true)
      const box = (await panel.boundingBox())!
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width).toBeLessThanOrEqual(screen.width)
    }
    await page.getByText('Sedang membuka').waitFor()
    if (process.env.SCREENSHOT_DIR) {
      await mkdir(process.env.SCREENSHOT_DIR, { recursive: true })
      await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `editor-${screen.width}.png`) })
    }
    // On a narrow screen Escape closes the drawer and gives the focus back to its button.
    const drawer = page.locator('button.buka-laci')
    if (await drawer.isVisible()) {
      await page.getByRole('tab', { name: 'Komentar' }).focus()
      await page.keyboard.press('Escape')
      await expect.poll(() => page.locator('#panel-samping').isVisible(), SYNC).toBe(false)
      expect(await drawer.evaluate((element) => element === document.activeElement)).toBe(true)
    }
  })

  test('clicking a person in "Sedang membuka" scrolls to their cursor, and following them shows the Pasal they scroll to without moving the own cursor (S20)', async () => {
    const { page } = editor
    const labels = await page.getByTestId('kerangka-pasal').locator('.label').allTextContents()
    const far = labels[labels.length - 4]!
    const farther = labels[Math.floor(labels.length / 2)]!
    await clickInto(page, 'Pasal 2')
    await page.locator('main.tengah').evaluate((element) => element.scrollTo({ top: 0 }))

    // The presenter goes to a Pasal far down; its caret lands there.
    await outlineEntry(presenter.page, far).click()
    await expect.poll(() => pasalAtTop(presenter.page, far), SYNC).toBe(true)
    await openPanels(page)
    await page.locator('.hadir').getByRole('button', { name: presenter.user.name, exact: true }).click()
    await expect
      .poll(async () => {
        const caret = await offsetInScroller(page, '.kursor-jauh')
        return caret !== null && caret.top >= 0 && caret.bottom <= caret.height
      }, SYNC)
      .toBe(true)

    await page.getByRole('button', { name: `Ikuti ${presenter.user.name}` }).click()
    const bar = page.getByTestId('mengikuti')
    await expect.poll(() => bar.textContent(), SYNC).toContain(`Mengikuti ${presenter.user.name}`)
    if (await page.locator('button.buka-laci').isVisible()) await page.keyboard.press('Escape')

    await outlineEntry(presenter.page, farther).click()
    await expect.poll(() => pasalAtTop(page, farther), SYNC).toBe(true)
    await outlineEntry(presenter.page, far).click()
    await expect.poll(() => pasalAtTop(page, far), SYNC).toBe(true)
    // Following moved the view, not the follower's cursor.
    expect(await outlineEntry(page, 'Pasal 2').getAttribute('aria-current')).toBe('location')

    // Scrolling oneself ends following.
    const text = (await page.locator('main.tengah').boundingBox())!
    await page.mouse.move(text.x + text.width / 3, text.y + text.height / 2)
    await page.mouse.wheel(0, -400)
    await expect.poll(() => bar.count(), SYNC).toBe(0)
  })

  test('the print view has its own route with a print button, and works after a reload', async () => {
    const { page } = editor
    await page.getByText('Ekspor', { exact: true }).click()
    await page.getByRole('menuitem', { name: 'Tampilan cetak / PDF' }).click()
    await page.waitForURL((url) => url.pathname === `/dokumen/${DOC}/cetak`)
    for (const reload of [false, true]) {
      if (reload) await page.reload()
      const frame = page.frameLocator('iframe.halaman-cetak')
      await frame.getByText('MEMUTUSKAN:').waitFor()
      expect(await frame.locator('body').innerText()).toContain('Sistem Pemerintahan Berbasis Elektronik')
      expect(await page.title()).toBe(`Cetak: ${TITLE} — Rancang`)
      // The button prints the draft, not the page around it.
      await page.locator('iframe.halaman-cetak').evaluate((element) => {
        const frame = (element as HTMLIFrameElement).contentWindow as Window & { printed?: number }
        frame.print = () => void (frame.printed = (frame.printed ?? 0) + 1)
      })
      await page.getByRole('button', { name: 'Cetak / simpan PDF' }).click()
      expect(
        await page
          .locator('iframe.halaman-cetak')
          .evaluate((element) => ((element as HTMLIFrameElement).contentWindow as Window & { printed?: number }).printed),
      ).toBe(1)
    }
    await page.getByRole('link', { name: 'Kembali ke naskah' }).click()
    await page.locator('.naskah .pasal').first().waitFor()
  })
})

describe('mode rapat at 1024×768', () => {
  let chair: Person
  let member: Person

  beforeAll(async () => {
    const screen = SCREENS[0]
    ;[chair, member] = await Promise.all([person('editor', 'Biro Hukum', screen), person('commenter', 'Inspektorat', screen)])
  })

  afterAll(async () => {
    await Promise.all([chair?.context.close(), member?.context.close()])
  })

  test('switched on by keyboard, it shows large type, the outline with agreement progress, and follows the presenter chosen', async () => {
    const { page } = member
    const button = page.getByRole('button', { name: 'Mode rapat' })
    await button.focus()
    await page.keyboard.press('Enter')
    expect(await button.getAttribute('aria-pressed')).toBe('true')
    const fontSize = await page.locator('.naskah').evaluate((element) => parseFloat(getComputedStyle(element).fontSize))
    expect(fontSize).toBeGreaterThanOrEqual(21)
    expect(await page.locator('.kemajuan-kecil').isVisible()).toBe(true)
    expect(await page.locator('.kemajuan-kecil').textContent()).toMatch(/^\d+ dari \d+ pasal disepakati$/)

    await page.getByLabel('Ikuti penyaji').selectOption({ label: `${chair.user.name} · Biro Hukum` })
    await expect.poll(() => page.getByTestId('mengikuti').textContent(), SYNC).toContain(`Mengikuti ${chair.user.name}`)
    const labels = await page.getByTestId('kerangka-pasal').locator('.label').allTextContents()
    const target = labels[labels.length - 3]!
    await outlineEntry(chair.page, target).click()
    await expect.poll(() => pasalAtTop(page, target), SYNC).toBe(true)
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, 'rapat-1024.png') })

    await button.focus()
    await page.keyboard.press('Space')
    expect(await button.getAttribute('aria-pressed')).toBe('false')
    expect(await page.locator('.naskah').evaluate((element) => parseFloat(getComputedStyle(element).fontSize))).toBeLessThan(fontSize)
  })
})

describe('roles and cursors at 1366×768', () => {
  const screen = SCREENS[1]
  let viewer: Person
  let commenter: Person
  let writer: Person

  beforeAll(async () => {
    ;[viewer, commenter, writer] = await Promise.all([
      person('viewer', 'Inspektorat', screen),
      person('commenter', 'Biro Hukum', screen),
      person('editor', 'Bidang Persandian', screen),
    ])
  })

  afterAll(async () => {
    await Promise.all([viewer, commenter, writer].map((p) => p?.context.close()))
  })

  test('each role is labelled for what it may do: "Baca saja" for a viewer, "Usulan & komentar" for a commenter', async () => {
    await expect.poll(() => viewer.page.getByTestId('label-peran').textContent(), SYNC).toBe('Baca saja')
    await expect.poll(() => commenter.page.getByTestId('label-peran').textContent(), SYNC).toBe('Usulan & komentar')
    expect(await writer.page.getByTestId('label-peran').count()).toBe(0)
  })

  test('a viewer who types is told why nothing happens, and Space does not scroll the page', async () => {
    const { page } = viewer
    const before = await pasalArticle(page, 'Pasal 1').innerText()
    await pasalArticle(page, 'Pasal 1').click()
    const pasal = await pasalSelector(page, 'Pasal 1')
    const top = (await offsetInScroller(page, pasal))!.top
    await page.keyboard.press('Space')
    await page.keyboard.type('abc')
    const notice = page.locator('.petunjuk-peran')
    await expect.poll(() => notice.textContent(), SYNC).toContain('hanya dapat membaca')
    expect(await notice.textContent()).toContain('Pemberi komentar')
    expect((await offsetInScroller(page, pasal))!.top).toBe(top)
    expect(await pasalArticle(page, 'Pasal 1').innerText()).toBe(before)
  })

  test("another person's cursor label shows after their cursor moves, then fades, and shows again on hover", async () => {
    const { page } = viewer
    await clickInto(writer.page, 'Pasal 3')
    const caret = page.locator('.kursor-jauh', { has: page.locator('.kursor-label', { hasText: writer.user.name }) })
    const label = caret.locator('.kursor-label')
    const opacity = () => label.evaluate((element) => getComputedStyle(element).opacity)
    await expect.poll(opacity, SYNC).toBe('1')
    await expect.poll(opacity, SYNC).toBe('0')
    await caret.scrollIntoViewIfNeeded()
    const box = (await caret.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await expect.poll(opacity, SYNC).toBe('1')
  })

  test('pages other than a draft name themselves in the tab', async () => {
    const page = await viewer.context.newPage()
    await page.goto(`${server.url}/`)
    await expect.poll(() => page.title(), SYNC).toBe('Daftar rancangan — Rancang')
    await page.close()
  })
})

test('the login page is titled "Masuk — Rancang"', async () => {
  const context = await newProfile(browser, SCREENS[0])
  const page = await context.newPage()
  await page.goto(`${server.url}/masuk`)
  await expect.poll(() => page.title(), SYNC).toBe('Masuk — Rancang')
  await context.close()
})

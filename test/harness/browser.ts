/// <reference lib="dom" />
import { expect } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Locator, type Page, type WebSocketRoute } from 'playwright-core'
import type { TestServer } from './server.js'

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** Debian's Chromium, headless, with no background traffic (the machine has no internet). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  })
}

/** Screen sizes the UI must work at: a 1024×768 projector, a common laptop, a full-HD monitor. */
export const SCREENS = [
  { width: 1024, height: 768 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const

/** A fresh browser profile (one person's browser): its own storage, IndexedDB and network. */
export function newProfile(browser: Browser, viewport: { width: number; height: number } = { width: 1440, height: 1000 }): Promise<BrowserContext> {
  return browser.newContext({ viewport, locale: 'id-ID' })
}

/** Whether an element is on screen: inside the window, not scrolled away. */
export const onScreen = (element: Locator): Promise<boolean> =>
  element.evaluate((node) => {
    const box = node.getBoundingClientRect()
    return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight && box.left >= 0 && box.right <= window.innerWidth
  })

/**
 * A fresh browser profile signed in as `username` with the editor of `docId` open and loaded.
 * Pass `context` to open it in a profile prepared beforehand (e.g. with `controlNetwork`).
 */
export async function openEditor(
  browser: Browser,
  server: Pick<TestServer, 'url'>,
  credentials: { username: string; password: string },
  docId = 'rapergub-spbe',
  options: { context?: BrowserContext } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = options.context ?? (await newProfile(browser))
  const page = await context.newPage()
  await signIn(page, server, credentials, `/dokumen/${docId}`)
  await page.locator('.naskah .pasal').first().waitFor()
  return { context, page }
}

/** Signs in through the login page and lands on `path`. */
export async function signIn(page: Page, server: Pick<TestServer, 'url'>, credentials: { username: string; password: string }, path = '/') {
  await page.goto(`${server.url}${path}`)
  await page.getByLabel('Nama pengguna').fill(credentials.username)
  await page.getByLabel('Kata sandi').fill(credentials.password)
  await page.getByRole('button', { name: 'Masuk' }).click()
  await page.waitForURL((url) => url.pathname === path)
}

/** Opens the account menu in the header (sign-out, and for admins the admin pages) by keyboard. */
export async function openAccountMenu(page: Page) {
  const button = page.locator('header .menu-akun > summary')
  if (await button.evaluate((summary) => (summary.parentElement as HTMLDetailsElement).open)) return
  await button.focus()
  await page.keyboard.press('Enter')
  await page.locator('header .menu-akun .isi-menu').waitFor()
}

/** The network of one browser profile, as the test cuts and restores it. */
export interface NetworkSwitch {
  /**
   * The browser goes offline: HTTP fails, `navigator.onLine` turns false, and every collaboration
   * socket is closed at both ends (Chromium's offline emulation alone leaves open WebSockets
   * running, so the sockets are cut explicitly). New sockets are refused until `goOnline`.
   */
  goOffline(): Promise<void>
  /** HTTP works again (pages can load) but collaboration sockets are still refused. */
  restoreHttp(): Promise<void>
  /** Everything works again; the editor's provider reconnects on its own. */
  goOnline(): Promise<void>
}

/**
 * Routes the collaboration WebSockets of `context` through Playwright so a test can cut them.
 * Install before the profile opens a page; while online, traffic passes through unchanged.
 */
export async function controlNetwork(context: BrowserContext): Promise<NetworkSwitch> {
  let refusing = false
  const open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>()
  await context.routeWebSocket(/\/collab\//, (route) => {
    if (refusing) {
      void route.close({ code: 4000, reason: 'network down (test)' }).catch(() => {})
      return
    }
    open.add({ page: route, server: route.connectToServer() })
  })
  const cutAll = async () => {
    const routes = [...open]
    open.clear()
    await Promise.all(
      routes.flatMap(({ page, server }) => [page.close({ code: 4000, reason: 'network down (test)' }), server.close()]).map((p) => p.catch(() => {})),
    )
  }
  return {
    async goOffline() {
      refusing = true
      // Cut first: a message the page sends just before the emulation goes offline stays queued
      // in the route, and the server-side close behind it with it, until the profile is online.
      await cutAll()
      await context.setOffline(true)
    },
    async restoreHttp() {
      refusing = true
      await context.setOffline(false)
    },
    async goOnline() {
      refusing = false
      await context.setOffline(false)
    },
  }
}

/** Elements inside the text that are not document text: other people's cursors, status chips, comment badges, suggested words and units. */
export const WIDGETS = '.kursor-jauh, button.status-pasal, .lencana-komentar, .usulan-sisip, .usulan-blok'

/** The text of an element as the page shows it, without widgets (which differ per tab). */
export const visibleText = (element: Locator): Promise<string> =>
  element.evaluate((node, widgets) => {
    const copy = node.cloneNode(true) as HTMLElement
    for (const widget of copy.querySelectorAll(widgets)) widget.remove()
    return copy.textContent ?? ''
  }, WIDGETS)

/**
 * Selects `from`..`to` (character offsets into the text of `block`, ignoring widgets) as the browser
 * does, or puts the caret at `from` when `to` is omitted. ProseMirror reads the DOM selection.
 */
export async function selectInBlock(block: Locator, from: number, to = from) {
  await block.evaluate(
    (element, { from, to, widgets }) => {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
        acceptNode: (node) => (node.parentElement?.closest(widgets) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      })
      const at = (offset: number): [Node, number] => {
        let left = offset
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = node.textContent!.length
          if (left <= length) return [node, left]
          left -= length
        }
        throw new Error(`offset ${offset} is past the end of the block`)
      }
      const start = at(from)
      walker.currentNode = element
      const end = at(to)
      const selection = getSelection()!
      selection.setBaseAndExtent(start[0], start[1], end[0], end[1])
    },
    { from, to, widgets: WIDGETS },
  )
}

/** Focuses the editable text without a click (a click's own selection handling races with ours). */
export const focusEditor = (page: Page) => page.locator('.naskah').evaluate((element) => (element as HTMLElement).focus())

/** How long and how often to poll for something another tab or the server does. */
export const SYNC = { timeout: 20_000, interval: 50 }

/** Text with its whitespace runs folded to single spaces, as a reader sees it. */
export const clean = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim()

/** The visible text of an element, whitespace folded. */
export const visibleWords = async (element: Locator) => clean(await visibleText(element))

/** The pasal labelled `label` (e.g. "Pasal 7") in the live editor, not in a version being viewed. */
export const pasalArticle = (page: Page, label: string) => page.locator(`.naskah[role=textbox] article.pasal[data-label="${label}"]`)

/** The text block of ayat `index` (0-based) of the pasal labelled `label`, in the live editor. */
export const ayatTeks = (page: Page, label: string, index = 0) =>
  pasalArticle(page, label).locator('> div.ayat').nth(index).locator('> p.teks').first()

/** Sets the page's selection to a caret at the start or end of `block` (the editor follows it). */
export const caretAt = (block: Locator, where: 'start' | 'end') =>
  block.evaluate((element, where) => {
    const range = document.createRange()
    range.selectNodeContents(element)
    range.collapse(where === 'start')
    const selection = getSelection()!
    selection.removeAllRanges()
    selection.addRange(range)
  }, where)

/** Clicks into `block` (focusing the editor there), then puts the caret at its start or end. */
export async function placeCaret(block: Locator, where: 'start' | 'end') {
  await block.click()
  await caretAt(block, where)
}

/** The outline's entry for the pasal labelled `label`. */
export const outlineEntry = (page: Page, label: string) =>
  page.getByTestId('kerangka-pasal').filter({ has: page.locator('.label', { hasText: new RegExp(`^${label}$`) }) })

/**
 * Clicks into the first text of pasal `label` until the editor has its caret there (the outline marks
 * the pasal as the current one): a click can land elsewhere while the page is still settling, and a
 * key pressed before the editor has read the new selection acts on the old one.
 */
export async function clickInto(page: Page, label: string) {
  await expect
    .poll(async () => {
      await ayatTeks(page, label).click()
      return outlineEntry(page, label).getAttribute('aria-current')
    }, SYNC)
    .toBe('location')
}

/** The text of the draft as `page` shows it. Numbers are CSS-generated from `data-label` and so are not part of it. */
export const documentText = (page: Page) => visibleText(page.locator('.naskah'))

/** The text of the pasal labelled `label` (e.g. "Pasal 7"). */
export const pasalText = (page: Page, label: string) => visibleText(page.locator(`.naskah article.pasal[data-label="${label}"]`))

/** The outline's pasal labels in order: ["Pasal 1", "Pasal 2", …]. */
export function outlinePasalLabels(page: Page): Promise<string[]> {
  return page.getByTestId('kerangka-pasal').locator('.label').allTextContents()
}

/**
 * Whether this profile's offline copy (y-indexeddb) holds `text` in one of its stored updates.
 * Yjs encodes inserted strings as UTF-8 inside the update, so a word inserted in one transaction
 * appears verbatim; this tells when the offline copy has been written, without sleeping.
 */
export function offlineCopyHolds(page: Page, text: string): Promise<boolean> {
  return page.evaluate(async (text) => {
    const names = (await indexedDB.databases()).map((d) => d.name).filter((name): name is string => Boolean(name?.startsWith('rancang:')))
    for (const name of names) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name)
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
      try {
        if (!db.objectStoreNames.contains('updates')) continue
        const updates = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction('updates', 'readonly').objectStore('updates').getAll()
          request.onsuccess = () => resolve(request.result)
          request.onerror = () => reject(request.error)
        })
        const decoder = new TextDecoder()
        if (updates.some((update) => update instanceof Uint8Array && decoder.decode(update).includes(text))) return true
      } finally {
        db.close()
      }
    }
    return false
  }, text)
}

/**
 * Types `text` at the caret in a Pasal that is Disepakati: the first key asks "Ubah pasal yang sudah
 * disepakati?" (issue 15), which is confirmed, and the rest is typed after it.
 */
export async function typeIntoAgreed(page: Page, text: string) {
  await page.keyboard.type(text.slice(0, 1))
  const dialog = page.getByRole('dialog', { name: 'Ubah pasal yang sudah disepakati?' })
  await dialog.getByRole('button', { name: /^Ubah pasal/ }).click({ timeout: SYNC.timeout })
  await dialog.waitFor({ state: 'hidden', timeout: SYNC.timeout })
  await page.keyboard.type(text.slice(1))
}

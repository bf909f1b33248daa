/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import type { User } from '../../shared/accounts.js'
import { startServer, type TestServer } from '../harness/server.js'
import { createAccount } from '../harness/clients.js'
import { RAPERGUB_SPBE_ID as DOC } from '../../server/documents/rapergub-spbe.js'
import {
  ayatTeks,
  focusEditor,
  launchBrowser,
  openEditor,
  outlinePasalLabels,
  pasalArticle,
  selectInBlock,
  SYNC,
  visibleWords,
} from '../harness/browser.js'

/** Issue 4 in Chromium: comment threads on a Pasal, seen live from two bidang. */

interface Person {
  readonly user: User
  readonly password: string
  readonly context: BrowserContext
  readonly page: Page
  /** Browser dialogs (alert, confirm) the page opened; an injected script would show here. */
  readonly dialogs: string[]
}

let server: TestServer
let browser: Browser
/** A commenter from Biro Hukum: reads the draft, comments on it. */
let alif: Person
/** An editor from another bidang, changing the text meanwhile. */
let budi: Person

async function person(role: 'commenter' | 'editor' | 'viewer', bidang: string): Promise<Person> {
  const account = await createAccount(server, role, bidang)
  const { context, page } = await openEditor(browser, server, { username: account.user.username, password: account.password }, DOC)
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  return { user: account.user, password: account.password, context, page, dialogs }
}

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  ;[alif, budi] = await Promise.all([person('commenter', 'Biro Hukum'), person('editor', 'Bidang Aplikasi Informatika')])
})

afterAll(async () => {
  await browser?.close()
  await server?.dispose()
})

/** Every thread card in the panel holding `text`. */
const threadCard = (page: Page, text: string) => page.getByTestId('utas').filter({ hasText: text })

/** The place a thread card names: "Pasal 15 (semula Pasal 14)". */
const cardPlace = async (card: Locator) => ((await card.locator('.kepala-utas .tempat').textContent()) ?? '').replace(/\s+/g, ' ').trim()

/** The open-comment count the outline shows beside `label`, or null when there is none. */
const outlineCount = async (page: Page, label: string) => {
  const count = page
    .getByTestId('kerangka-pasal')
    .filter({ has: page.locator('.label', { hasText: new RegExp(`^${label}$`) }) })
    .locator('.jumlah-komentar')
  return (await count.count()) === 0 ? null : (await count.textContent())?.trim()
}

/** The badge number on the pasal labelled `label`, or null when it has none. */
const badgeCount = async (page: Page, label: string) => {
  const badge = pasalArticle(page, label).locator('.lencana-komentar')
  return (await badge.count()) === 0 ? null : (await badge.textContent())?.trim()
}

/** The text highlighted as commented on, per highlighted span, in document order. */
const highlighted = (page: Page) => page.locator('.naskah .sorot-komentar').allTextContents()

describe('comment threads in the editor', () => {
  const FIRST = 'Mohon istilah Aplikasi Khusus didefinisikan dalam Pasal 1.'
  const INSERTED = 'Pasal sisipan dari Bidang Aplikasi Informatika.'

  test('a thread opened on Pasal 14 while another bidang inserts a pasal above it ends on the same pasal, now Pasal 15, in both tabs', async () => {
    const pasal14 = await visibleWords(pasalArticle(alif.page, 'Pasal 14'))
    const labelsBefore = await outlinePasalLabels(alif.page)

    await ayatTeks(alif.page, 'Pasal 14').click()
    const box = alif.page.getByLabel('Komentar baru pada Pasal 14')
    await box.fill(FIRST)
    await ayatTeks(budi.page, 'Pasal 13').click()
    // The editor has Budi's cursor in Pasal 13 once his panel offers to comment on it.
    await budi.page.getByLabel('Komentar baru pada Pasal 13').waitFor({ timeout: SYNC.timeout })
    await alif.page.getByRole('button', { name: 'Beri komentar' }).click()
    // The server has the thread (it is in Alif's panel); Budi inserts the pasal before it reaches him.
    await threadCard(alif.page, FIRST).waitFor({ timeout: SYNC.timeout })
    await budi.page.keyboard.press('Control+Alt+P')
    await budi.page.keyboard.type(INSERTED)

    const renumbered = Array.from({ length: labelsBefore.length + 1 }, (_, i) => `Pasal ${i + 1}`)
    const places: string[] = []
    for (const { page } of [alif, budi]) {
      await expect.poll(() => outlinePasalLabels(page), SYNC).toEqual(renumbered)
      await expect.poll(() => visibleWords(pasalArticle(page, 'Pasal 14')), SYNC).toBe(INSERTED)
      expect(await visibleWords(pasalArticle(page, 'Pasal 15'))).toBe(pasal14)
      const card = threadCard(page, FIRST)
      await expect.poll(() => card.count(), SYNC).toBe(1)
      await expect.poll(() => cardPlace(card), SYNC).toMatch(/^Pasal 15 ?\(semula Pasal 14\)$/)
      places.push(await cardPlace(card))
      await expect.poll(() => badgeCount(page, 'Pasal 15'), SYNC).toBe('1')
      expect(await badgeCount(page, 'Pasal 14')).toBeNull()
      await expect.poll(() => outlineCount(page, 'Pasal 15'), SYNC).toBe('1')
      expect(await outlineCount(page, 'Pasal 14')).toBeNull()
      await expect.poll(() => card.locator('.penulis').first().textContent(), SYNC).toContain(alif.user.name)
      expect(await card.locator('.penulis').first().textContent()).toContain('Biro Hukum')
    }
    // The header names the current number and the one the thread was opened on.
    expect(places).toEqual(['Pasal 15 (semula Pasal 14)', 'Pasal 15 (semula Pasal 14)'])
  })

  test("a reply from the other bidang appears live in the first person's panel", async () => {
    const REPLY = 'Setuju, akan kami tambahkan pada BAB I.'
    const card = threadCard(budi.page, FIRST)
    await card.getByLabel('Balas utas ini').fill(REPLY)
    await card.getByRole('button', { name: 'Balas' }).click()

    const alifCard = threadCard(alif.page, FIRST)
    await alifCard.getByText(REPLY).waitFor({ timeout: SYNC.timeout })
    const authors = await alifCard.locator('.penulis').allTextContents()
    expect(authors).toHaveLength(2)
    expect(authors[1]).toContain(budi.user.name)
    expect(authors[1]).toContain('Bidang Aplikasi Informatika')
  })

  describe('a comment on a selected phrase', () => {
    const phrase = 'Aplikasi Umum dan Aplikasi Khusus'

    test('highlights the phrase in both tabs', async () => {
      const block = ayatTeks(alif.page, 'Pasal 15')
      const text = await visibleWords(block)
      const start = text.indexOf(phrase)
      expect(start).toBeGreaterThan(0)

      await selectInBlock(block, start, start + phrase.length)
      await alif.page.getByText(`Pada frasa: “${phrase}”`).waitFor({ timeout: SYNC.timeout })
      await alif.page.getByLabel('Komentar baru pada Pasal 15').fill('Frasa ini perlu dirujuk ke Pasal 16.')
      await alif.page.getByRole('button', { name: 'Beri komentar' }).click()

      for (const { page } of [alif, budi]) {
        await expect.poll(() => highlighted(page).then((spans) => spans.join('')), SYNC).toBe(phrase)
        await expect.poll(() => badgeCount(page, 'Pasal 15'), SYNC).toBe('2')
        await expect.poll(() => threadCard(page, 'Frasa ini perlu dirujuk').locator('.kutipan').textContent(), SYNC).toBe(phrase)
      }
    })

    test('keeps the highlight on the phrase when the ayat is split with Enter before it', async () => {
      const block = ayatTeks(budi.page, 'Pasal 15')
      const text = await visibleWords(block)
      const start = text.indexOf(phrase)
      // Select the phrase's first letter and wait until the editor has it, then collapse the
      // selection to the caret just before the phrase and press Enter.
      await focusEditor(budi.page)
      await selectInBlock(block, start, start + 1)
      await budi.page.getByText(`Pada frasa: “${phrase[0]}”`).waitFor({ timeout: SYNC.timeout })
      await budi.page.keyboard.press('ArrowLeft')
      await budi.page.getByText('Pada frasa:').waitFor({ state: 'detached', timeout: SYNC.timeout })
      await budi.page.keyboard.press('Enter')

      for (const { page } of [alif, budi]) {
        // The phrase now opens a new ayat (2) of Pasal 15…
        await expect.poll(() => visibleWords(ayatTeks(page, 'Pasal 15', 1)), SYNC).toBe(text.slice(start))
        expect(await visibleWords(ayatTeks(page, 'Pasal 15', 0))).toBe(text.slice(0, start).trim())
        // …and is still the highlighted phrase; the thread is not listed as orphaned.
        await expect.poll(() => highlighted(page).then((spans) => spans.join('')), SYNC).toBe(phrase)
        expect(await ayatTeks(page, 'Pasal 15', 1).locator('.sorot-komentar').count()).toBeGreaterThan(0)
        expect(await page.getByText('Komentar pada bagian yang dihapus').count()).toBe(0)
      }
    })

    test('"Tandai selesai" moves the thread from the "Terbuka" filter to "Selesai"', async () => {
      const TEXT = 'Frasa ini perlu dirujuk'
      await threadCard(alif.page, TEXT).getByRole('button', { name: 'Tandai selesai' }).click()

      for (const { page } of [alif, budi]) {
        await expect.poll(() => threadCard(page, TEXT).count(), SYNC).toBe(0)
        await expect.poll(() => badgeCount(page, 'Pasal 15'), SYNC).toBe('1')
        await page.getByRole('button', { name: 'Selesai', exact: true }).click()
        const card = threadCard(page, TEXT)
        await card.waitFor({ timeout: SYNC.timeout })
        expect(await card.locator('.lencana.selesai').textContent()).toBe('Selesai')
        expect(await card.textContent()).toContain(`Ditandai selesai oleh ${alif.user.name} (Biro Hukum)`)
        expect(await card.getByRole('button', { name: 'Buka kembali' }).count()).toBe(1)
        // The open thread on the same pasal is not among the resolved ones.
        expect(await threadCard(page, FIRST).count()).toBe(0)
        await page.getByRole('button', { name: 'Semua', exact: true }).click()
        await expect.poll(() => Promise.all([threadCard(page, TEXT).count(), threadCard(page, FIRST).count()]), SYNC).toEqual([1, 1])
        await page.getByRole('button', { name: 'Terbuka', exact: true }).click()
        await expect.poll(() => threadCard(page, TEXT).count(), SYNC).toBe(0)
      }
    })
  })

  test('comment text containing HTML is shown as text, never as markup', async () => {
    const HTML = '<img src=x onerror=alert(1)> <b>tebal</b>'
    await ayatTeks(alif.page, 'Pasal 20').click()
    await alif.page.getByLabel('Komentar baru pada Pasal 20').fill(HTML)
    await alif.page.getByRole('button', { name: 'Beri komentar' }).click()

    for (const { page, dialogs } of [alif, budi]) {
      const card = threadCard(page, '<img src=x')
      await card.waitFor({ timeout: SYNC.timeout })
      expect(await card.locator('.teks-pesan').textContent()).toBe(HTML)
      expect(await page.locator('.komentar img, .komentar b').count()).toBe(0)
      expect(await page.locator('img[src="x"]').count()).toBe(0)
      expect(dialogs).toEqual([])
    }
  })

  test('a viewer sees the threads but no comment form and no buttons to change them', async () => {
    const viewer = await person('viewer', 'Inspektorat')
    try {
      const { page } = viewer
      await threadCard(page, FIRST).waitFor({ timeout: SYNC.timeout })
      await ayatTeks(page, 'Pasal 15').click()
      await expect.poll(() => page.locator('.komentar h3').first().textContent(), SYNC).toBe('Pasal 15')
      expect(await page.locator('.komentar textarea').count()).toBe(0)
      for (const name of ['Beri komentar', 'Balas', 'Tandai selesai', 'Ubah', 'Hapus', 'Buka kembali']) {
        expect(await page.locator('.komentar').getByRole('button', { name, exact: true }).count(), name).toBe(0)
      }
      // The badge and the outline still count the open thread for a viewer.
      await expect.poll(() => badgeCount(page, 'Pasal 15'), SYNC).toBe('1')
      await expect.poll(() => outlineCount(page, 'Pasal 15'), SYNC).toBe('1')
      expect(await cardPlace(threadCard(page, FIRST))).toBe('Pasal 15 (semula Pasal 14)')
    } finally {
      await viewer.context.close()
    }
  })

  test('the comment box is reachable with the keyboard from the text, and Ctrl+Enter sends the comment', async () => {
    const page = alif.page
    const KEYED = 'Dikirim dengan Ctrl+Enter.'
    await ayatTeks(page, 'Pasal 22').click()
    const box = page.getByLabel('Komentar baru pada Pasal 22')
    await box.waitFor({ timeout: SYNC.timeout })

    let reached = false
    for (let presses = 0; presses < 15 && !reached; presses++) {
      await page.keyboard.press('Tab')
      reached = await box.evaluate((element) => element === document.activeElement)
    }
    expect(reached).toBe(true)
    await page.keyboard.type(KEYED)
    await page.keyboard.press('Control+Enter')

    for (const { page: tab } of [alif, budi]) {
      const card = threadCard(tab, KEYED)
      await card.waitFor({ timeout: SYNC.timeout })
      expect(await cardPlace(card)).toBe('Pasal 22')
    }
    await expect.poll(() => box.inputValue(), SYNC).toBe('')
  })

  test('deleting the pasal lists its thread under "Komentar pada bagian yang dihapus", and "Pasang ke" re-attaches it to the pasal at the cursor', async () => {
    const KEYED = 'Dikirim dengan Ctrl+Enter.'
    const quote = (await visibleWords(ayatTeks(budi.page, 'Pasal 22'))).slice(0, 20)
    await ayatTeks(budi.page, 'Pasal 22').click()
    await budi.page.getByLabel('Komentar baru pada Pasal 22').waitFor({ timeout: SYNC.timeout })
    await budi.page.keyboard.press('Control+Alt+Shift+X')

    for (const { page } of [alif, budi]) {
      const orphans = page.locator('.bagian-komentar.yatim')
      await orphans.getByRole('heading', { name: 'Komentar pada bagian yang dihapus' }).waitFor({ timeout: SYNC.timeout })
      const card = orphans.getByTestId('utas').filter({ hasText: KEYED })
      await card.waitFor({ timeout: SYNC.timeout })
      expect(await cardPlace(card)).toBe('Pasal 22 (dihapus)')
      expect(await card.locator('.kutipan').textContent()).toContain(quote)
    }

    await ayatTeks(alif.page, 'Pasal 21').click()
    await threadCard(alif.page, KEYED).getByRole('button', { name: 'Pasang ke Pasal 21' }).click()

    for (const { page } of [alif, budi]) {
      await expect.poll(() => page.locator('.bagian-komentar.yatim').count(), SYNC).toBe(0)
      await expect.poll(() => cardPlace(threadCard(page, KEYED)), SYNC).toMatch(/^Pasal 21 ?\(semula Pasal 22\)$/)
      await expect.poll(() => badgeCount(page, 'Pasal 21'), SYNC).toBe('1')
    }
  })
})

describe('the page moves between the text and its panels', () => {
  const selectedTab = (page: Page) => page.locator('[role="tab"][aria-selected="true"]').textContent()
  /** The aria-label of the focused element, or its role's text when it has none. */
  const focused = (page: Page) =>
    page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? null)

  test("clicking a pasal's comment badge shows the Komentar panel with the focus in that pasal's new-comment box", async () => {
    const page = alif.page
    await ayatTeks(page, 'Pasal 3').click()
    await page.getByRole('tab', { name: 'Kesepakatan' }).click()
    await pasalArticle(page, 'Pasal 21').locator('.lencana-komentar').click()
    await expect.poll(() => focused(page), SYNC).toBe('Komentar baru pada Pasal 21')
    expect(await selectedTab(page)).toBe('Komentar')
  })

  test('Ctrl+Alt+Shift+M from the text shows the Komentar panel with the focus in the new-comment box of the pasal with the cursor', async () => {
    const page = alif.page
    await ayatTeks(page, 'Pasal 5').click()
    await page.getByRole('tab', { name: 'Riwayat versi' }).click()
    await focusEditor(page)
    await page.keyboard.press('Control+Alt+Shift+M')
    await expect.poll(() => focused(page), SYNC).toBe('Komentar baru pada Pasal 5')
    expect(await selectedTab(page)).toBe('Komentar')
  })

  test("clicking a pasal's status chip in the margin shows that pasal in the Kesepakatan panel", async () => {
    const page = alif.page
    await ayatTeks(page, 'Pasal 3').click()
    await pasalArticle(page, 'Pasal 21').locator('button.status-pasal').click()
    await expect.poll(() => selectedTab(page), SYNC).toBe('Kesepakatan')
    await page.locator('#panel-sepakat').getByRole('heading', { name: 'Pasal 21', exact: true }).waitFor({ timeout: SYNC.timeout })
  })

  test('Escape in the text moves the focus to the first usable button of the toolbar', async () => {
    const page = budi.page
    await ayatTeks(page, 'Pasal 5').click()
    await page.keyboard.press('Escape')
    const inToolbar = () =>
      page.evaluate(() => {
        const element = document.activeElement
        return element instanceof HTMLButtonElement && !element.disabled && element.closest('[role="toolbar"]') !== null
      })
    await expect.poll(inToolbar, SYNC).toBe(true)
  })
})

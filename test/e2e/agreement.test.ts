/// <reference lib="dom" />
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { readFile } from 'node:fs/promises'
import mammoth from 'mammoth'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import type { User } from '../../shared/accounts.js'
import { startServer, type TestServer } from '../harness/server.js'
import { createAccount } from '../harness/clients.js'
import { RAPERGUB_SPBE_ID as DOC } from '../../server/documents/rapergub-spbe.js'
import {
  ayatTeks,
  caretAt,
  clickInto,
  outlineEntry,
  launchBrowser,
  openEditor,
  outlinePasalLabels,
  pasalArticle,
  SYNC,
  typeIntoAgreed,
  visibleWords,
} from '../harness/browser.js'

/** Issue 8 in Chromium: agreement per Pasal, live references and the export menu, from two bidang. */

interface Person {
  readonly user: User
  readonly context: BrowserContext
  readonly page: Page
}

let server: TestServer
let browser: Browser
/** Chairs the meeting: sets the statuses. */
let rina: Person
/** Edits the text meanwhile, from another bidang. */
let bayu: Person

async function person(bidang: string): Promise<Person> {
  const account = await createAccount(server, 'editor', bidang)
  const { context, page } = await openEditor(browser, server, { username: account.user.username, password: account.password }, DOC)
  return { user: account.user, context, page }
}

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  ;[rina, bayu] = await Promise.all([person('Bidang Aplikasi Informatika'), person('Bidang Persandian')])
})

afterAll(async () => {
  await browser?.close()
  await server?.dispose()
})

// A test that failed with a dialog open must not leave it blocking the next test.
afterEach(async () => {
  for (const person of [rina, bayu]) if (person && (await person.page.locator('dialog[open]').count()) > 0) await person.page.keyboard.press('Escape')
})

const STATUSES = ['draf', 'dibahas', 'disepakati']

/** Which status class an element carries, or null when it is missing or ambiguous. */
const statusClass = async (element: Locator) => {
  if ((await element.count()) !== 1) return null
  const classes = ((await element.getAttribute('class')) ?? '').split(/\s+/).filter((c) => STATUSES.includes(c))
  return classes.length === 1 ? classes[0]! : null
}

/** The margin chip of a pasal: its status ("draf", "dibahas", "disepakati"). */
const chipStatus = (page: Page, label: string) => statusClass(pasalArticle(page, label).locator('button.status-pasal'))

/** The status dot the outline shows beside a pasal. */
const dotStatus = (page: Page, label: string) => statusClass(outlineEntry(page, label).locator('.titik-status'))

/** A select of the reference dialog by the words of its label. */
const dialogSelect = (dialog: Locator, label: string) =>
  dialog
    .locator('label')
    .filter({ has: dialog.page().locator('span', { hasText: new RegExp(`^${label.replace(/[()]/g, '\\$&')}$`) }) })
    .locator('select')

const progress = async (page: Page) => ((await page.getByTestId('kemajuan').textContent()) ?? '').replace(/\s+/g, ' ').trim()

/** The words every live reference in the pasal shows, in order. */
const referencesIn = (page: Page, label: string) => pasalArticle(page, label).locator('span.rujukan').allTextContents()

/** Puts the caret at the end of `block`, the first text of an ayat of pasal `label`. */
async function caretAtEnd(page: Page, block: Locator, label: string) {
  await clickInto(page, label)
  await caretAt(block, 'end')
  await expect.poll(() => outlineEntry(page, label).getAttribute('aria-current'), SYNC).toBe('location')
}

async function openAgreementTab(page: Page) {
  await page.getByRole('tab', { name: 'Kesepakatan' }).click()
  await page.getByTestId('kemajuan').waitFor({ timeout: SYNC.timeout })
}

/** Sets the pasal labelled `label` to `status` through the Kesepakatan tab, as a person would. */
async function chooseStatus(page: Page, label: string, status: 'Draf' | 'Dibahas' | 'Disepakati') {
  await clickInto(page, label)
  const panel = page.locator('#panel-sepakat')
  await expect.poll(() => panel.locator('h3').first().textContent(), SYNC).toBe(label)
  await panel.getByRole('radio', { name: status }).click()
  await expect.poll(() => panel.getByRole('radio', { name: status }).getAttribute('aria-checked'), SYNC).toBe('true')
}

describe('agreement per pasal', () => {
  test('setting Pasal 7 to Disepakati shows live in the other tab: chip, outline dot and progress line', async () => {
    await Promise.all([openAgreementTab(rina.page), openAgreementTab(bayu.page)])
    expect(await progress(bayu.page)).toBe('0 dari 30 pasal disepakati')
    expect(await chipStatus(bayu.page, 'Pasal 7')).toBe('draf')

    await chooseStatus(rina.page, 'Pasal 7', 'Disepakati')

    for (const { page } of [rina, bayu]) {
      await expect.poll(() => chipStatus(page, 'Pasal 7'), SYNC).toBe('disepakati')
      await expect.poll(() => dotStatus(page, 'Pasal 7'), SYNC).toBe('disepakati')
      await expect.poll(() => progress(page), SYNC).toBe('1 dari 30 pasal disepakati')
      expect(((await page.locator('.kemajuan-kecil').textContent()) ?? '').trim()).toBe('1 dari 30 pasal disepakati')
      expect(await chipStatus(page, 'Pasal 8')).toBe('draf')
    }
    // Rina's panel records who agreed it.
    const history = rina.page.locator('#panel-sepakat .riwayat-status li')
    await expect.poll(() => history.count(), SYNC).toBe(1)
    expect(await visibleWords(history.first())).toMatch(
      new RegExp(`^Disepakati oleh ${rina.user.name} \\(Bidang Aplikasi Informatika\\), hari ini pukul \\d`),
    )
  })

  test('when the other person types into Pasal 7, both tabs show it back at Dibahas and the first tab says who changed it', async () => {
    await caretAtEnd(bayu.page, ayatTeks(bayu.page, 'Pasal 7'), 'Pasal 7')
    await typeIntoAgreed(bayu.page, ' Diubah sesudah disepakati.')

    for (const { page } of [rina, bayu]) {
      await expect.poll(() => chipStatus(page, 'Pasal 7'), SYNC).toBe('dibahas')
      await expect.poll(() => dotStatus(page, 'Pasal 7'), SYNC).toBe('dibahas')
      await expect.poll(() => progress(page), SYNC).toBe('0 dari 30 pasal disepakati')
    }
    const notice = rina.page.getByTestId('pemberitahuan-status')
    await notice.waitFor({ timeout: SYNC.timeout })
    expect(((await notice.textContent()) ?? '').replace(/\s+/g, ' ')).toContain(
      `Pasal 7 kembali ke Dibahas: teksnya diubah oleh ${bayu.user.name} (Bidang Persandian)`,
    )
    // The history in Rina's panel (her cursor is still in Pasal 7) names the change and its author, newest first.
    const history = rina.page.locator('#panel-sepakat .riwayat-status li')
    await expect.poll(() => history.count(), SYNC).toBe(2)
    expect(await visibleWords(history.first())).toContain(`Dibahas karena teksnya diubah oleh ${bayu.user.name} (Bidang Persandian)`)
    // The notice can be closed.
    await notice.getByRole('button', { name: 'Tutup' }).click()
    await notice.waitFor({ state: 'detached', timeout: SYNC.timeout })
  })

  test('"Hanya yang belum disepakati" hides agreed pasal from the outline, and the panel lists what is still open', async () => {
    await chooseStatus(rina.page, 'Pasal 5', 'Disepakati')
    await chooseStatus(rina.page, 'Pasal 6', 'Disepakati')
    await expect.poll(() => progress(bayu.page), SYNC).toBe('2 dari 30 pasal disepakati')

    const all = Array.from({ length: 30 }, (_, i) => `Pasal ${i + 1}`)
    const filter = bayu.page.getByLabel('Hanya yang belum disepakati')
    await filter.check()
    await expect.poll(() => outlinePasalLabels(bayu.page), SYNC).toEqual(all.filter((l) => l !== 'Pasal 5' && l !== 'Pasal 6'))
    // Headings stay for orientation; the other tab is not filtered.
    expect(await bayu.page.getByTestId('kerangka-bab').count()).toBe(10)
    expect(await outlinePasalLabels(rina.page)).toEqual(all)
    const open = bayu.page.locator('#panel-sepakat .belum-sepakat li')
    expect(await open.count()).toBe(28)
    expect(await bayu.page.locator('#panel-sepakat h3', { hasText: 'Belum disepakati (28)' }).count()).toBe(1)

    await filter.uncheck()
    await expect.poll(() => outlinePasalLabels(bayu.page), SYNC).toEqual(all)
  })

  test('moving an agreed pasal with Alt+Shift+↓ changes no text, so it stays Disepakati and the pasal it passed keeps its status', async () => {
    // Pasal 6 (agreed) and Pasal 7 (under discussion) are in the same Bagian; Pasal 6 moves below Pasal 7.
    // Their opening words (a live reference further on renders the new numbers).
    const opening = async (page: Page, label: string) => (await visibleWords(ayatTeks(page, label))).slice(0, 40)
    const moved = await opening(rina.page, 'Pasal 6')
    const passed = await opening(rina.page, 'Pasal 7')
    await clickInto(rina.page, 'Pasal 6')
    await rina.page.keyboard.press('Alt+Shift+ArrowDown')
    // Bayu has the move once his tab shows the new order (the server stores an edit before relaying it).
    await expect.poll(() => opening(bayu.page, 'Pasal 7'), SYNC).toBe(moved)
    expect(await opening(bayu.page, 'Pasal 6')).toBe(passed)

    // A barrier: Bayu edits agreed Pasal 5. Changes are handled in order, so once its demotion shows,
    // whatever the move caused has shown too.
    await caretAtEnd(bayu.page, ayatTeks(bayu.page, 'Pasal 5'), 'Pasal 5')
    await typeIntoAgreed(bayu.page, ' Penanda.')
    await expect.poll(() => chipStatus(rina.page, 'Pasal 5'), SYNC).toBe('dibahas')
    for (const { page } of [rina, bayu]) {
      expect(await chipStatus(page, 'Pasal 7'), 'the moved pasal').toBe('disepakati')
      expect(await chipStatus(page, 'Pasal 6'), 'the pasal it passed').toBe('dibahas')
    }
    const notices = ((await rina.page.locator('.pemberitahuan').textContent()) ?? '').replace(/\s+/g, ' ')
    expect(notices).not.toMatch(/Pasal [67] kembali ke Dibahas/)
    await expect.poll(() => progress(rina.page), SYNC).toBe('1 dari 30 pasal disepakati')
  })

  test('an answer to "Disepakati" that arrives after a newer change (an edit meanwhile) does not bring the older status back', async () => {
    // Rina's answer from the server is held back (a slow connection) while Bayu edits the pasal.
    const PUT_STATUS = '**/api/docs/*/statuses/*'
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    let held = false
    await rina.page.route(PUT_STATUS, async (route) => {
      if (held) return route.continue()
      held = true
      const response = await route.fetch()
      await gate
      await route.fulfill({ response })
    })
    try {
      const answered = rina.page.waitForResponse((r) => r.url().includes('/statuses/') && r.request().method() === 'PUT', SYNC)
      await clickInto(rina.page, 'Pasal 9')
      await rina.page.locator('#panel-sepakat').getByRole('radio', { name: 'Disepakati' }).click()
      // The server has it: both tabs are told.
      await expect.poll(() => chipStatus(bayu.page, 'Pasal 9'), SYNC).toBe('disepakati')
      await expect.poll(() => chipStatus(rina.page, 'Pasal 9'), SYNC).toBe('disepakati')
      await caretAtEnd(bayu.page, ayatTeks(bayu.page, 'Pasal 9'), 'Pasal 9')
      await typeIntoAgreed(bayu.page, ' Sementara.')
      await expect.poll(() => chipStatus(rina.page, 'Pasal 9'), SYNC).toBe('dibahas')

      release()
      await (await answered).finished()
      // A barrier: another change of Rina's, answered after the held one.
      await chooseStatus(rina.page, 'Pasal 10', 'Dibahas')
      await expect.poll(() => chipStatus(rina.page, 'Pasal 10'), SYNC).toBe('dibahas')
      expect(await chipStatus(rina.page, 'Pasal 9'), 'Rina sees what the server has').toBe('dibahas')
      expect(await chipStatus(bayu.page, 'Pasal 9')).toBe('dibahas')
    } finally {
      release()
      await rina.page.unroute(PUT_STATUS)
    }
  })
})

describe('live references', () => {
  const INSERTED = 'Pasal sisipan sebelum Aplikasi SPBE.'

  test('Pasal 15 refers to Pasal 14 live; a pasal inserted before Pasal 14 makes both tabs say "dalam Pasal 15"', async () => {
    for (const { page } of [rina, bayu]) {
      expect(await referencesIn(page, 'Pasal 15')).toEqual(['dalam Pasal 14', 'pada ayat (1)', 'pada ayat (2)', 'dalam Pasal 14 ayat (4)'])
      expect(await pasalArticle(page, 'Pasal 15').locator('.rujukan.rusak, .rujukan-ketik').count()).toBe(0)
    }
    await clickInto(bayu.page, 'Pasal 13')
    await bayu.page.keyboard.press('Control+Alt+P')
    await bayu.page.keyboard.type(INSERTED)

    for (const { page } of [rina, bayu]) {
      await expect.poll(() => visibleWords(pasalArticle(page, 'Pasal 14').locator('p.teks').first()), SYNC).toBe(INSERTED)
      await expect
        .poll(() => referencesIn(page, 'Pasal 16'), SYNC)
        .toEqual(['dalam Pasal 15', 'pada ayat (1)', 'pada ayat (2)', 'dalam Pasal 15 ayat (4)'])
      expect(await outlinePasalLabels(page)).toHaveLength(31)
    }
  })

  test('a typed "sebagaimana dimaksud dalam Pasal 3" is underlined, and Ctrl+Alt+R makes it a live reference', async () => {
    const page = rina.page
    const block = ayatTeks(page, 'Pasal 4')
    expect(await block.locator('span.rujukan').count()).toBe(0)
    await caretAtEnd(page, block, 'Pasal 4')
    await page.keyboard.type(' Rujukan uji sebagaimana dimaksud dalam Pasal 3')

    const typed = block.locator('.rujukan-ketik')
    await expect.poll(() => typed.allTextContents(), SYNC).toEqual(['dalam Pasal 3'])
    expect(await typed.first().getAttribute('title')).toContain('Ctrl+Alt+R')

    await page.keyboard.press('Control+Alt+R')
    for (const { page: tab } of [rina, bayu]) {
      const live = ayatTeks(tab, 'Pasal 4').locator('span.rujukan')
      await expect.poll(() => live.allTextContents(), SYNC).toEqual(['dalam Pasal 3'])
      expect(await live.first().getAttribute('class')).toBe('rujukan')
      expect(await ayatTeks(tab, 'Pasal 4').locator('.rujukan-ketik').count()).toBe(0)
      expect(await visibleWords(ayatTeks(tab, 'Pasal 4'))).toMatch(/Rujukan uji sebagaimana dimaksud dalam Pasal 3$/)
    }
  })

  test('"Sisipkan rujukan" (Ctrl+K) inserts a reference to the chosen Pasal and ayat', async () => {
    const page = rina.page
    await caretAtEnd(page, ayatTeks(page, 'Pasal 31'), 'Pasal 31')
    await page.keyboard.type(' Rujukan dari dialog sebagaimana dimaksud')
    await page.keyboard.press('Control+K')
    const dialog = page.getByRole('dialog', { name: 'Sisipkan rujukan' })
    await dialog.waitFor({ timeout: SYNC.timeout })

    const pasalSelect = dialogSelect(dialog, 'Pasal')
    const options = await pasalSelect.locator('option').allTextContents()
    expect(options.filter((o) => /^Pasal \d+ — /.test(o))).toHaveLength(31)
    await pasalSelect.selectOption({ label: options.find((o) => o.startsWith('Pasal 9 — '))! })
    const ayatSelect = dialogSelect(dialog, 'Ayat (tidak wajib)')
    await ayatSelect.waitFor({ timeout: SYNC.timeout })
    await ayatSelect.selectOption({ label: 'ayat (2)' })
    await dialog.getByRole('button', { name: 'Sisipkan' }).click()
    await dialog.waitFor({ state: 'hidden', timeout: SYNC.timeout })

    for (const { page: tab } of [rina, bayu]) {
      await expect.poll(() => referencesIn(tab, 'Pasal 31'), SYNC).toEqual(['dalam Pasal 9 ayat (2)'])
      expect(await visibleWords(ayatTeks(tab, 'Pasal 31'))).toMatch(/Rujukan dari dialog sebagaimana dimaksud dalam Pasal 9 ayat \(2\)$/)
    }

    // A second reference, to the inserted Pasal 14 as a whole (it has a single ayat, so no ayat to choose).
    await page.keyboard.type(' dan')
    await page.keyboard.press('Control+K')
    await dialog.waitFor({ timeout: SYNC.timeout })
    const again = await pasalSelect.locator('option').allTextContents()
    await pasalSelect.selectOption({ label: again.find((o) => o.startsWith('Pasal 14 — '))! })
    expect(await dialogSelect(dialog, 'Ayat (tidak wajib)').count()).toBe(0)
    await dialog.getByRole('button', { name: 'Sisipkan' }).click()
    await dialog.waitFor({ state: 'hidden', timeout: SYNC.timeout })
    for (const { page: tab } of [rina, bayu]) {
      await expect.poll(() => referencesIn(tab, 'Pasal 31'), SYNC).toEqual(['dalam Pasal 9 ayat (2)', 'dalam Pasal 14'])
    }
  })

  test('deleting a referenced pasal keeps the reference live and marked "rujukan tidak ditemukan" in both tabs; the deleter is told how many, "Tampilkan rujukan" selects it, and mending it closes the notice (S21)', async () => {
    await clickInto(bayu.page, 'Pasal 14')
    await bayu.page.keyboard.press('Control+Alt+Shift+X')

    for (const { page } of [rina, bayu]) {
      await expect.poll(() => outlinePasalLabels(page), SYNC).toHaveLength(30)
      await expect.poll(() => referencesIn(page, 'Pasal 30'), SYNC).toEqual(['dalam Pasal 9 ayat (2)', 'rujukan tidak ditemukan'])
      expect(await pasalArticle(page, 'Pasal 30').locator('.rujukan.rusak').count()).toBe(1)
      await expect
        .poll(() => referencesIn(page, 'Pasal 15'), SYNC)
        .toEqual(['dalam Pasal 14', 'pada ayat (1)', 'pada ayat (2)', 'dalam Pasal 14 ayat (4)'])
    }
    const notice = bayu.page.getByTestId('pemberitahuan-rujukan')
    await expect
      .poll(() => notice.textContent(), SYNC)
      .toContain('Penghapusan Anda membuat 1 rujukan tidak menemukan pasal atau ayat yang dirujuknya.')
    // Only the one who deleted is told: the others' edits are theirs to mend.
    expect(await rina.page.getByTestId('pemberitahuan-rujukan').count()).toBe(0)

    await notice.getByRole('button', { name: 'Tampilkan rujukan' }).click()
    const selected = pasalArticle(bayu.page, 'Pasal 30').locator('.rujukan.rusak.ProseMirror-selectednode')
    await expect.poll(() => selected.count(), SYNC).toBe(1)
    await bayu.page.keyboard.press('Delete')
    await notice.waitFor({ state: 'detached', timeout: SYNC.timeout })
    for (const { page } of [rina, bayu]) {
      await expect.poll(() => referencesIn(page, 'Pasal 30'), SYNC).toEqual(['dalam Pasal 9 ayat (2)'])
      expect(await visibleWords(ayatTeks(page, 'Pasal 30'))).toMatch(/dalam Pasal 9 ayat \(2\) dan$/)
    }
  })
})

describe('export menu', () => {
  test('"Ekspor" → Word downloads a DOCX of the current draft', async () => {
    const page = rina.page
    await page.locator('summary', { hasText: 'Ekspor' }).click()
    const item = page.getByRole('menuitem', { name: 'Word (DOCX) untuk Biro Hukum' })
    await item.waitFor({ timeout: SYNC.timeout })
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: SYNC.timeout }), item.click()])
    expect(download.suggestedFilename()).toBe(`${DOC}.docx`)
    const path = await download.path()
    const bytes = await readFile(path)
    expect(bytes.length).toBeGreaterThan(0)
    const { value } = await mammoth.extractRawText({ buffer: bytes })
    const text = value.replace(/\s+/g, ' ')
    expect(text).toContain('Rujukan uji sebagaimana dimaksud dalam Pasal 3')
    expect(text).toContain('sebagaimana dimaksud dalam Pasal 14, Perangkat Daerah')
    expect(text).toContain('Diubah sesudah disepakati.')
    // The menu closes once the file is on its way.
    await expect.poll(() => page.locator('details.menu-ekspor').getAttribute('open'), SYNC).toBeNull()
  })

  test('Escape closes the "Ekspor" menu and returns the focus to its button', async () => {
    const page = rina.page
    const summary = page.locator('summary', { hasText: 'Ekspor' })
    await summary.focus()
    await page.keyboard.press('Enter')
    await page.getByRole('menuitem', { name: 'Akoma Ntoso (XML)' }).waitFor({ timeout: SYNC.timeout })
    await page.keyboard.press('Tab')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('details.menu-ekspor').getAttribute('open'), SYNC).toBeNull()
    expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true)
  })

  test('Escape pressed before the browser has reported the menu open still closes it', async () => {
    const page = rina.page
    await page.locator('summary', { hasText: 'Ekspor' }).evaluate((summary: HTMLElement) => {
      // Opens the menu at once; its toggle event comes in a later task.
      summary.click()
      summary.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    })
    expect(await page.locator('details.menu-ekspor').getAttribute('open')).toBeNull()
  })
})

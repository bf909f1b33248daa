/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import type { User } from '../../shared/accounts.js'
import type { SnapshotMeta } from '../../shared/versions.js'
import { createId } from '../../shared/model/ids.js'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, createAccount, roundTrip, type TestClient } from '../harness/clients.js'
import { ayatText, insertPasalAfter, pasal } from '../harness/document.js'
import { messageRestored, messageStatus, messageThread } from '../../shared/protocol/messages.js'
import { RAPERGUB_SPBE_ID as DOC } from '../../server/documents/rapergub-spbe.js'
import { clean, clickInto, launchBrowser, newProfile, onScreen, openEditor, pasalArticle, pasalText, SCREENS, SYNC } from '../harness/browser.js'

/**
 * Issue 15 in Chromium at every screen size: a restore is told to everyone with who and which
 * version; every Pasal number shown follows renumbering (S22); the comparison says what changed
 * without relying on colour, and leads from change to change. RANCANG_SCREENSHOTS=<folder> keeps a
 * screenshot of the comparison.
 */

const SHOTS = process.env.RANCANG_SCREENSHOTS

interface Person {
  readonly user: User
  readonly token: string
  readonly context: BrowserContext
  readonly page: Page
}

let browser: Browser

/** A stock client of the sample draft that ignores the Rancang pushes its round trips opt it in to. */
async function stockClient(server: TestServer, token: string): Promise<TestClient> {
  const client = connect(server, DOC, token)
  for (const type of [messageThread, messageStatus, messageRestored]) client.provider.messageHandlers[type] = () => {}
  await client.synced
  return client
}

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

/** The read-only document of a comparison (the live editor stays mounted, hidden). */
const compared = (page: Page) => page.locator('.lihat-versi .naskah')

/** The computed style of an element (or of its `::after`), as the page draws it. */
const styleOf = (element: Locator, property: string, pseudo?: '::after') =>
  element.evaluate((node, [name, which]) => getComputedStyle(node, which ?? null).getPropertyValue(name!), [property, pseudo] as const)

/** Bidang Aplikasi Informatika is drawn in red (#b91c1c): its insertions must not look like deletions. */
const RED_BIDANG = 'Bidang Aplikasi Informatika'
const RED = 'rgb(185, 28, 28)'

describe.each(SCREENS)('at $width×$height', (screen) => {
  let server: TestServer
  /** Edits in her browser, and through a stock client (another program, another tab). */
  let rina: Person
  /** Restores a version; his bidang's colour is red. */
  let bayu: Person
  let rinaClient: TestClient

  async function person(bidang: string): Promise<Person> {
    const account = await createAccount(server, 'editor', bidang)
    const context = await newProfile(browser, screen)
    const { page } = await openEditor(browser, server, { username: account.user.username, password: account.password }, DOC, { context })
    return { user: account.user, token: account.token, context, page }
  }

  beforeAll(async () => {
    server = await startServer()
    rina = await person('Bidang Persandian')
    bayu = await person(RED_BIDANG)
    rinaClient = await stockClient(server, rina.token)
  })
  afterAll(async () => {
    rinaClient?.destroy()
    await Promise.all([rina?.context.close(), bayu?.context.close()])
    await server?.dispose()
  })

  const REMOVED = 'Dihapus oleh Rina sesudah rapat. '
  const ADDED = 'Disisipkan oleh Rina sesudah rapat. '
  const ALSO_ADDED = 'Ditambahkan pula oleh Rina. '

  test('a restore in one browser is told in the other: who restored which version, on screen, with the restored text', async () => {
    ayatText(pasal(rinaClient.doc, 3)).insert(0, REMOVED)
    await roundTrip(rinaClient)
    const saved = await api<SnapshotMeta>(server, 'POST', `/api/docs/${DOC}/snapshots`, { token: rina.token, body: { name: 'Sebelum rapat' } })
    expect(saved.status).toBe(201)
    // After the version: Rina takes her sentence out of Pasal 3 ayat (1), adds one to its ayat (2) and one to Pasal 12.
    ayatText(pasal(rinaClient.doc, 3)).delete(0, REMOVED.length)
    ayatText(pasal(rinaClient.doc, 3), 1).insert(0, ALSO_ADDED)
    ayatText(pasal(rinaClient.doc, 12)).insert(0, ADDED)
    await roundTrip(rinaClient)
    await expect.poll(() => pasalText(rina.page, 'Pasal 12'), SYNC).toContain(ADDED.trim())

    const restored = await api(server, 'POST', `/api/docs/${DOC}/snapshots/${saved.body.id}/restore`, { token: bayu.token })
    expect(restored.status).toBe(200)

    for (const { page } of [rina, bayu]) {
      const notice = page.getByTestId('pemberitahuan-pemulihan')
      await notice.waitFor({ timeout: SYNC.timeout })
      expect(clean(await notice.textContent())).toMatch(
        new RegExp(
          `^${bayu.user.name} \\(${RED_BIDANG}\\) memulihkan versi "Sebelum rapat" \\(hari ini pukul [0-9.]+\\): naskah kini sama dengan versi itu\\.`,
        ),
      )
      expect(await onScreen(notice), 'the notice is on screen').toBe(true)
      // The text it announces is already there.
      expect(await pasalText(page, 'Pasal 12')).not.toContain(ADDED.trim())
      expect(await pasalText(page, 'Pasal 3')).toContain(REMOVED.trim())
    }
    await bayu.page.getByTestId('pemberitahuan-pemulihan').getByRole('button', { name: 'Tutup' }).click()
    await bayu.page.getByTestId('pemberitahuan-pemulihan').waitFor({ state: 'detached' })
  })

  test('"Lihat perubahan" opens the comparison at its first change: underlined and struck through, the bidang colour only beside them', async () => {
    const { page } = rina
    // Scrolled far away first: the comparison must not open where the live text was.
    await pasalArticle(page, 'Pasal 28').scrollIntoViewIfNeeded()
    await page.getByTestId('pemberitahuan-pemulihan').getByRole('button', { name: 'Lihat perubahan' }).click()
    await compared(page).waitFor()
    // Acted on, the notice has done its work.
    await page.getByTestId('pemberitahuan-pemulihan').waitFor({ state: 'detached' })

    const who = `${bayu.user.name} (${RED_BIDANG})`
    await expect
      .poll(async () => (await page.getByTestId('perubahan').allTextContents()).map(clean), SYNC)
      .toEqual([`Pasal 3 diubah oleh ${who}`, `Pasal 12 diubah oleh ${who}`])
    const position = page.getByTestId('posisi-perubahan')
    expect(clean(await position.textContent())).toMatch(/^Perubahan 1 dari 2/)
    const inserted = compared(page).locator('article.pasal[data-label="Pasal 3"] ins.perubahan').first()
    const deleted = compared(page).locator('article.pasal[data-label="Pasal 12"] del.perubahan').first()
    await expect.poll(() => onScreen(inserted), SYNC).toBe(true)
    expect(clean(await inserted.textContent())).toBe(REMOVED.trim())
    expect(clean(await deleted.textContent())).toBe(ADDED.trim())
    const alsoDeleted = compared(page).locator('article.pasal[data-label="Pasal 3"] del.perubahan').first()
    expect(clean(await alsoDeleted.textContent())).toBe(ALSO_ADDED.trim())

    // What changed is told by the line, not the colour: neither the text nor its line is red.
    expect(await styleOf(inserted, 'text-decoration-line')).toBe('underline')
    expect(await styleOf(deleted, 'text-decoration-line')).toBe('line-through')
    for (const element of [inserted, deleted, alsoDeleted]) {
      expect(await styleOf(element, 'color')).not.toBe(RED)
      expect(await styleOf(element, 'text-decoration-color')).not.toBe(RED)
      expect(await styleOf(element, 'background-color')).not.toContain('185, 28, 28')
    }
    // The colour says who: a bar in the margin beside each changed block.
    const marker = compared(page).locator('article.pasal[data-label="Pasal 3"] .ada-perubahan').first()
    expect(await styleOf(marker, 'background-color', '::after')).toBe(RED)
    // And the words say it to a screen reader.
    const tree = await compared(page).ariaSnapshot()
    expect(tree).toContain(`[ditambahkan: ${REMOVED.trim()}`)
    expect(tree).toContain(`[dihapus: ${ADDED.trim()}`)

    if (SHOTS && screen.width === 1366) await page.screenshot({ path: `${SHOTS}/compare.png` })
  })

  test('next and previous (buttons, N and P, and the summary) go from change to change, each outlined and on screen', async () => {
    const { page } = rina
    const position = page.getByTestId('posisi-perubahan')
    const current = () => compared(page).locator('.perubahan-kini').getAttribute('data-label')
    const entries = page.getByTestId('perubahan')
    const deleted = compared(page).locator('article.pasal[data-label="Pasal 12"] del.perubahan').first()
    const inserted = compared(page).locator('article.pasal[data-label="Pasal 3"] ins.perubahan').first()
    expect(await current()).toBe('Pasal 3')
    expect(await entries.nth(0).getAttribute('aria-current')).toBe('true')

    await page.getByRole('button', { name: 'Berikutnya' }).click()
    await expect.poll(async () => clean(await position.textContent()), SYNC).toMatch(/^Perubahan 2 dari 2/)
    expect(await current()).toBe('Pasal 12')
    expect(await entries.nth(1).getAttribute('aria-current')).toBe('true')
    expect(await entries.nth(0).getAttribute('aria-current')).toBeNull()
    await expect.poll(() => onScreen(deleted), SYNC).toBe(true)

    await page.keyboard.press('p')
    await expect.poll(current, SYNC).toBe('Pasal 3')
    await expect.poll(() => onScreen(inserted), SYNC).toBe(true)
    await page.keyboard.press('n')
    await expect.poll(current, SYNC).toBe('Pasal 12')
    // Past the last change it starts again at the first.
    await page.keyboard.press('n')
    await expect.poll(current, SYNC).toBe('Pasal 3')
    await page.getByRole('button', { name: 'Sebelumnya' }).click()
    await expect.poll(current, SYNC).toBe('Pasal 12')

    await entries.nth(0).click()
    await expect.poll(current, SYNC).toBe('Pasal 3')
    await expect.poll(() => onScreen(inserted), SYNC).toBe(true)
    expect(clean(await position.textContent())).toMatch(/^Perubahan 1 dari 2/)

    await page.getByRole('button', { name: 'Kembali ke naskah' }).click()
    await page.locator('.lihat-versi').waitFor({ state: 'detached' })
  })

  test('after a Pasal is inserted before it, every label shown for Pasal 7 says Pasal 8: notice, chip, badge, panel (S22)', async () => {
    const { page } = rina
    const id = (await pasalArticle(page, 'Pasal 7').getAttribute('data-id'))!
    const agree = () =>
      api(server, 'PUT', `/api/docs/${DOC}/statuses/${encodeURIComponent(id)}`, { token: rina.token, body: { status: 'disepakati' } })
    expect((await agree()).status).toBe(200)
    const thread = await api(server, 'POST', `/api/docs/${DOC}/threads`, {
      token: rina.token,
      body: { anchor: { pasalId: id }, text: 'Mohon ditinjau.' },
    })
    expect(thread.status).toBe(201)
    await clickInto(page, 'Pasal 7')
    const sidePanel = page.getByRole('tab', { name: 'Kesepakatan' })
    const panelShown = await sidePanel.isVisible()
    if (panelShown) await sidePanel.click()

    // Bayu (another program) edits the agreed Pasal: it goes back to Dibahas, and Rina is told.
    const bayuClient = await stockClient(server, bayu.token)
    try {
      ayatText(pasal(bayuClient.doc, 7)).insert(0, 'Diubah. ')
      await roundTrip(bayuClient)
      const notice = page.getByTestId('pemberitahuan-status')
      await expect.poll(async () => clean(await notice.textContent()), SYNC).toMatch(/^Pasal 7 kembali ke Dibahas: teksnya diubah oleh /)
      const chip = (label: string) => pasalArticle(page, label).locator('button.status-pasal')
      await expect.poll(() => chip('Pasal 7').getAttribute('title'), SYNC).toBe('Pasal 7: Dibahas')

      // Then he inserts a Pasal before it.
      insertPasalAfter(pasal(bayuClient.doc, 6), createId(), 'Pasal sisipan sebelum pasal tujuh.')
      await roundTrip(bayuClient)
    } finally {
      bayuClient.destroy()
    }
    await expect.poll(() => pasalArticle(page, 'Pasal 8').getAttribute('data-id'), SYNC).toBe(id)

    const notice = page.getByTestId('pemberitahuan-status')
    await expect
      .poll(async () => clean(await notice.textContent()), SYNC)
      .toMatch(new RegExp(`^Pasal 8 kembali ke Dibahas: teksnya diubah oleh ${bayu.user.name} \\(${RED_BIDANG}\\) setelah disepakati\\.`))
    const chip = pasalArticle(page, 'Pasal 8').locator('button.status-pasal')
    expect(await chip.getAttribute('title')).toBe('Pasal 8: Dibahas')
    expect(await chip.getAttribute('aria-label')).toBe('Pasal 8: Dibahas')
    const badge = pasalArticle(page, 'Pasal 8').locator('.lencana-komentar')
    expect(await badge.getAttribute('aria-label')).toBe('1 komentar terbuka pada Pasal 8')
    expect(await page.locator('.lencana-komentar[aria-label*="Pasal 7"]').count()).toBe(0)
    if (panelShown) {
      // Her cursor is still in that Pasal: the agreement panel names it by its new number.
      await expect.poll(async () => clean(await page.locator('#panel-sepakat h3').first().textContent()), SYNC).toBe('Pasal 8')
      expect(await page.locator('#panel-sepakat [role=radiogroup]').getAttribute('aria-label')).toBe('Status Pasal 8')
      await page.getByRole('tab', { name: 'Komentar' }).click()
      expect(await page.locator('#panel-komentar [aria-label="Utas komentar pada Pasal 8"]').count()).toBe(1)
    }

    // Agreed again, the notice has nothing left to say: it closes by itself.
    expect((await agree()).status).toBe(200)
    await notice.waitFor({ state: 'detached', timeout: SYNC.timeout })
  })
})

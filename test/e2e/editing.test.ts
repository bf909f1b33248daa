/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Node } from 'prosemirror-model'
import { startServer, type TestServer } from '../harness/server.js'
import { adminPerson, api, connect, createAccount, type TestClient } from '../harness/clients.js'
import { pasalElements } from '../harness/document.js'
import {
  ayatTeks,
  clickInto,
  focusEditor,
  launchBrowser,
  openEditor,
  outlinePasalLabels,
  placeCaret,
  SYNC,
  clean,
  visibleWords,
} from '../harness/browser.js'
import { RAPERGUB_SPBE_ID as DOC } from '../../server/documents/rapergub-spbe.js'
import { toProsemirror } from '../../shared/model/ydoc.js'
import { structureProblems } from '../../shared/model/structure.js'
import { numberDocument } from '../../shared/model/numbering.js'

/** Issue 15 (editing): structural edits, paste, agreed Pasal, shortcuts, toolbar, find and replace, counts, spellcheck. */

let server: TestServer
let browser: Browser
let editor: { context: BrowserContext; page: Page }
let reader: TestClient
let editorToken: string

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  const admin = await adminPerson(server)
  const account = await createAccount(server, 'editor', 'Bidang Aplikasi Informatika', admin.token)
  editorToken = account.token
  editor = await openEditor(browser, server, { username: account.user.username, password: account.password }, DOC)
  await editor.page.setViewportSize({ width: 1366, height: 768 })
  reader = connect(server, DOC, account.token)
  await reader.synced
})

afterAll(async () => {
  reader?.destroy()
  await browser?.close()
  await server?.dispose()
})

/** The draft as the server's other clients see it. */
const draft = (): Node => toProsemirror(reader.doc)

/** The text of each ayat of the Pasal numbered `n`, as stored. */
function ayatTexts(doc: Node, n: number): string[] {
  const label = numberDocument(doc).labels.filter((l) => l.kind === 'pasal')[n - 1]!
  const texts: string[] = []
  doc.nodeAt(label.pos)!.forEach((ayat) => texts.push(ayat.textBetween(0, ayat.content.size, ' | ')))
  return texts
}

/** Dispatches a real paste event carrying `html` (and its plain text) at the caret, as Chromium does for Ctrl+V. */
const paste = (page: Page, html: string, text: string) =>
  page.evaluate(
    ({ html, text }) => {
      const data = new DataTransfer()
      data.setData('text/html', html)
      data.setData('text/plain', text)
      document.querySelector('.naskah')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    },
    { html, text },
  )

/** Every mark name used in the stored draft. */
function marksIn(doc: Node): Set<string> {
  const marks = new Set<string>()
  doc.descendants((node) => {
    for (const mark of node.marks) marks.add(mark.type.name)
    return true
  })
  return marks
}

describe('structural edits (S21)', () => {
  test("deleting a selection from a Pasal into the next Bagian's first Paragraf heading leaves a valid structure, with no untitled Paragraf (S21)", async () => {
    const { page } = editor
    const before = draft()
    const pasalBefore = numberDocument(before).pasalCount
    const from = page.locator('.naskah p.teks', { hasText: /^Data yang dihasilkan oleh Perangkat/ })
    const heading = page.locator('.naskah h4.paragraf-judul', { hasText: /^Pusat Data$/ })
    await from.click()
    // Select from inside the Pasal's text to inside the heading, as a drag does.
    await page.evaluate(() => {
      const find = (selector: string, start: RegExp) => [...document.querySelectorAll(selector)].find((e) => start.test(e.textContent ?? ''))!
      const a = find('.naskah p.teks', /^Data yang dihasilkan oleh Perangkat/).firstChild!
      const b = find('.naskah h4.paragraf-judul', /^Pusat Data$/).firstChild!
      getSelection()!.setBaseAndExtent(a, 5, b, 4)
    })
    await expect.poll(() => page.evaluate(() => getSelection()!.toString().length), SYNC).toBeGreaterThan(100)
    await page.keyboard.press('Delete')
    await expect.poll(() => heading.count(), SYNC).toBe(0)
    await expect.poll(() => numberDocument(draft()).pasalCount, SYNC).toBe(pasalBefore - 0)
    const after = draft()
    expect(structureProblems(after)).toEqual([])
    const untitled: string[] = []
    after.descendants((node) => {
      if (node.type.name === 'paragraf' && !node.firstChild!.textContent.trim()) untitled.push(node.attrs.id as string)
      return !node.isTextblock
    })
    expect(untitled).toEqual([])
    // One undo brings the text back as it was.
    await page.keyboard.press('Control+Z')
    await expect.poll(() => draft().textContent, SYNC).toBe(before.textContent)
  })
})

describe('paste', () => {
  const WORD = `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta name=ProgId content=Word.Document><style><!-- p.MsoNormal {mso-style-parent:""; margin:0cm; font-size:12.0pt;} --></style></head><body lang=IN style='tab-interval:36.0pt'><!--StartFragment-->
<p class=MsoNormal align=center style='text-align:center'><b><span lang=IN style='mso-ansi-language:IN'>Pasal 99<o:p></o:p></span></b></p>
<p class=MsoNormal style='margin-left:28.35pt;text-indent:-28.35pt;mso-list:l0 level1 lfo1'><!--[if !supportLists]--><span lang=IN>(1)<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp; </span></span><!--[endif]--><span lang=IN>Dinas menyusun <b>rencana</b> induk <i>data governance</i> yang memuat:<o:p></o:p></span></p>
<p class=MsoListParagraphCxSpFirst style='margin-left:56.7pt;mso-list:l1 level1 lfo2'><!--[if !supportLists]--><span lang=IN>a.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span><!--[endif]--><span lang=IN>arah kebijakan;<o:p></o:p></span></p>
<p class=MsoListParagraphCxSpLast style='margin-left:56.7pt;mso-list:l1 level1 lfo2'><!--[if !supportLists]--><span lang=IN>b.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span><!--[endif]--><span lang=IN>sasaran.<o:p></o:p></span></p>
<p class=MsoNormal style='margin-left:28.35pt;text-indent:-28.35pt'><span lang=IN>(2)<span style='mso-tab-count:1'>&nbsp; </span>Rencana induk ditetapkan oleh Gubernur.<o:p></o:p></span></p>
<!--EndFragment--></body></html>`
  const WORD_TEXT =
    'Pasal 99\n(1)\tDinas menyusun rencana induk data governance yang memuat:\na.\tarah kebijakan;\nb.\tsasaran.\n(2)\tRencana induk ditetapkan oleh Gubernur.'

  test('HTML from Word with "Pasal 99", "(1)", "a." becomes a new Pasal after the one with the caret, with ayat and rincian, italics kept and bold dropped', async () => {
    const { page } = editor
    const count = numberDocument(draft()).pasalCount
    await clickInto(page, 'Pasal 3')
    await placeCaret(ayatTeks(page, 'Pasal 3', 0), 'end')
    await paste(page, WORD, WORD_TEXT)
    await expect.poll(() => numberDocument(draft()).pasalCount, SYNC).toBe(count + 1)
    const doc = draft()
    expect(ayatTexts(doc, 4)).toEqual([
      'Dinas menyusun rencana induk data governance yang memuat: | arah kebijakan; | sasaran.',
      'Rencana induk ditetapkan oleh Gubernur.',
    ])
    const rincian = doc.nodeAt(numberDocument(doc).labels.filter((l) => l.kind === 'pasal')[3]!.pos)!.firstChild!.child(1)
    expect(rincian.type.name).toBe('rincian')
    expect(rincian.childCount).toBe(2)
    expect(marksIn(doc).has('strong')).toBe(false)
    expect(marksIn(doc).has('em')).toBe(true)
    expect(structureProblems(doc)).toEqual([])
    await page.keyboard.press('Control+Z')
    await expect.poll(() => numberDocument(draft()).pasalCount, SYNC).toBe(count)
  })

  test('HTML from a JDIH page with <p>, <strong> and <ol type="a"> continues the ayat at the caret and adds numbered ayat and rincian', async () => {
    const { page } = editor
    const html = `<meta charset="utf-8"><div class="isi-peraturan"><p>Ketentuan tambahan berlaku.</p><p>(2) Perangkat Daerah <strong>wajib</strong> melaporkan:</p><ol type="a"><li>capaian kinerja;</li><li>kendala.</li></ol><p>(3) Laporan disampaikan setiap tahun.</p></div>`
    const text =
      'Ketentuan tambahan berlaku.\n(2) Perangkat Daerah wajib melaporkan:\ncapaian kinerja;\nkendala.\n(3) Laporan disampaikan setiap tahun.'
    // A Pasal of one plain ayat.
    const doc = draft()
    const n = Array.from({ length: numberDocument(doc).pasalCount }, (_, i) => i + 1).find((i) => {
      const texts = ayatTexts(doc, i)
      return texts.length === 1 && !texts[0]!.includes(' | ')
    })!
    const label = `Pasal ${n}`
    const before = ayatTexts(doc, n)
    await clickInto(page, label)
    await placeCaret(ayatTeks(page, label, 0), 'end')
    await page.keyboard.type(' ')
    await paste(page, html, text)
    await expect.poll(() => ayatTexts(draft(), n).length, SYNC).toBe(3)
    expect(ayatTexts(draft(), n)).toEqual([
      `${before[0]} Ketentuan tambahan berlaku.`,
      'Perangkat Daerah wajib melaporkan: | capaian kinerja; | kendala.',
      'Laporan disampaikan setiap tahun.',
    ])
    expect(marksIn(draft()).has('strong')).toBe(false)
    // The page numbers them: (1), (2), (3), and a., b.
    expect(
      await page
        .locator(`.naskah article.pasal[data-label="${label}"] > div.ayat`)
        .evaluateAll((ayat) => ayat.map((a) => a.getAttribute('data-label'))),
    ).toEqual(['(1)', '(2)', '(3)'])
  })
})

describe('agreed Pasal', () => {
  test('the first edit of a Disepakati Pasal asks first: Batal leaves the text untouched, Ubah applies it, and the next edit is not asked again', async () => {
    const { page } = editor
    const target = pasalElements(reader.doc)[5]!
    const id = target.getAttribute('id') as string
    const response = await api(server, 'PUT', `/api/docs/${DOC}/statuses/${id}`, { token: editorToken, body: { status: 'disepakati' } })
    expect(response.status).toBe(200)
    await expect.poll(() => page.locator('.naskah article.pasal[data-label="Pasal 6"] button.status-pasal').textContent(), SYNC).toBe('Disepakati')
    const before = ayatTexts(draft(), 6)
    const dialog = page.getByRole('dialog', { name: 'Ubah pasal yang sudah disepakati?' })

    await clickInto(page, 'Pasal 6')
    await placeCaret(ayatTeks(page, 'Pasal 6'), 'end')
    await page.keyboard.type('X')
    await dialog.waitFor({ timeout: SYNC.timeout })
    expect(clean(await dialog.textContent())).toContain('Pasal 6 sudah disepakati')
    await dialog.getByRole('button', { name: 'Batal' }).click()
    await dialog.waitFor({ state: 'hidden', timeout: SYNC.timeout })
    expect(await visibleWords(ayatTeks(page, 'Pasal 6'))).toBe(before[0]!.replace(/\s+/g, ' ').trim())
    expect(ayatTexts(draft(), 6)).toEqual(before)

    await placeCaret(ayatTeks(page, 'Pasal 6'), 'end')
    await page.keyboard.type('Y')
    await dialog.waitFor({ timeout: SYNC.timeout })
    await dialog.getByRole('button', { name: 'Ubah pasal ini' }).click()
    await expect.poll(() => ayatTexts(draft(), 6)[0], SYNC).toBe(`${before[0]}Y`)
    await page.keyboard.type('Z')
    await expect.poll(() => ayatTexts(draft(), 6)[0], SYNC).toBe(`${before[0]}YZ`)
    expect(await dialog.isVisible()).toBe(false)
  })
})

describe('shortcuts and toolbar', () => {
  test('Ctrl+Alt+Shift+X deletes the Pasal with the caret (Ctrl+Alt+Delete never reaches a browser on Windows)', async () => {
    const { page } = editor
    const count = (await outlinePasalLabels(page)).length
    await clickInto(page, 'Pasal 10')
    await page.keyboard.press('Control+Alt+Shift+X')
    await expect.poll(async () => (await outlinePasalLabels(page)).length, SYNC).toBe(count - 1)
    await page.keyboard.press('Control+Z')
    await expect.poll(async () => (await outlinePasalLabels(page)).length, SYNC).toBe(count)
  })

  test('the toolbar offers a button for every command in the shortcuts dialog, live references included', async () => {
    const { page } = editor
    await page.getByRole('button', { name: 'Lainnya' }).click()
    await page.getByRole('menuitem', { name: 'Pintasan papan ketik' }).click()
    const dialog = page.getByRole('dialog', { name: 'Pintasan papan ketik' })
    await dialog.waitFor()
    const commands = (await dialog.locator('tr[data-perintah]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-perintah')!))).flatMap(
      (keys) => keys.split(' '),
    )
    await dialog.getByRole('button', { name: 'Tutup' }).click()
    expect(commands.length).toBeGreaterThan(15)
    const offered = new Set(
      (
        await page
          .getByRole('toolbar', { name: 'Alat penyusunan' })
          .locator('button[aria-keyshortcuts]')
          .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-keyshortcuts')!))
      ).flatMap((keys) => keys.split(' ')),
    )
    expect(commands.filter((keys) => !offered.has(keys))).toEqual([])
    await page.getByRole('button', { name: 'Sisipkan rujukan ke pasal, ayat atau huruf' }).waitFor()
  })
})

describe('find and replace', () => {
  test('at 1024×768, Ctrl+F finds and steps through matches, limited to one Pasal from the outline; replace-all is one change that one Ctrl+Z undoes', async () => {
    const { page } = editor
    await page.setViewportSize({ width: 1024, height: 768 })
    await clickInto(page, 'Pasal 2')
    await page.keyboard.press('Control+F')
    const search = page.getByRole('searchbox', { name: 'Cari' })
    await search.waitFor()
    await search.fill('perangkat daerah')
    const status = page.locator('.jumlah-temuan')
    await expect.poll(() => status.textContent(), SYNC).toMatch(/^\d+ dari \d+$/)
    const total = Number((await status.textContent())!.split(' dari ')[1])
    const stored = draft().textContent.toLowerCase().split('perangkat daerah').length - 1
    expect(total).toBe(stored)
    expect(await page.locator('.naskah .temuan').count()).toBe(total)
    const first = Number((await status.textContent())!.split(' ')[0])
    await search.press('Enter')
    await expect.poll(() => status.textContent(), SYNC).toBe(`${(first % total) + 1} dari ${total}`)
    await search.press('Shift+Enter')
    await expect.poll(() => status.textContent(), SYNC).toBe(`${first} dari ${total}`)
    const bar = page.getByRole('search', { name: 'Cari di naskah' })
    const box = await bar.boundingBox()
    expect(box!.x + box!.width).toBeLessThanOrEqual(1024)

    // Limited to Pasal 3: only its matches.
    const pasal3 = ayatTexts(draft(), 3).join(' ').toLowerCase().split('perangkat daerah').length - 1
    expect(pasal3).toBeGreaterThan(0)
    const scope = page.getByRole('combobox', { name: 'Cari di' })
    const option = (await scope.locator('option').allTextContents()).find((o) => o.trim() === 'Pasal 3')!
    await scope.selectOption({ label: option })
    await expect.poll(() => status.textContent(), SYNC).toMatch(new RegExp(` dari ${pasal3}$`))

    // Replace all within Pasal 3: one change; one Ctrl+Z takes it all back.
    await page.keyboard.press('Control+H')
    const replacement = page.getByRole('textbox', { name: 'Ganti dengan' })
    await replacement.fill('Unit Kerja')
    const before = draft().textContent
    await page.getByRole('button', { name: 'Ganti semua' }).click()
    await expect.poll(() => ayatTexts(draft(), 3).join(' ').split('Unit Kerja').length - 1, SYNC).toBe(pasal3)
    expect(ayatTexts(draft(), 3).join(' ').toLowerCase()).not.toContain('perangkat daerah')
    expect(draft().textContent.toLowerCase().split('perangkat daerah').length - 1).toBe(stored - pasal3)
    await expect.poll(() => status.textContent(), SYNC).toBe('Tidak ditemukan')
    await search.press('Escape')
    await expect.poll(() => bar.count(), SYNC).toBe(0)
    await focusEditor(page)
    await page.keyboard.press('Control+Z')
    await expect.poll(() => draft().textContent, SYNC).toBe(before)
    await page.setViewportSize({ width: 1366, height: 768 })
  })

  test('a viewer finds with Ctrl+F but is offered no replace', async () => {
    const viewer = await createAccount(server, 'viewer', 'Inspektorat')
    const { context, page } = await openEditor(browser, server, { username: viewer.user.username, password: viewer.password }, DOC)
    await page.setViewportSize({ width: 1024, height: 768 })
    await page.locator('.naskah').click()
    await page.keyboard.press('Control+F')
    const search = page.getByRole('searchbox', { name: 'Cari' })
    await search.waitFor()
    await search.fill('gubernur')
    await expect.poll(() => page.locator('.jumlah-temuan').textContent(), SYNC).toMatch(/^\d+ dari \d+$/)
    await page.keyboard.press('Control+H')
    expect(await page.getByRole('textbox', { name: 'Ganti dengan' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Ganti semua' }).count()).toBe(0)
    await context.close()
  })
})

describe('counts and spelling', () => {
  test('the status bar counts words, Pasal and ayat, and follows a new Pasal', async () => {
    const { page } = editor
    const bar = page.getByTestId('hitungan')
    const read = async () =>
      (await bar.textContent())!
        .replace(/\./g, '')
        .match(/(\d+) kata · (\d+) pasal · (\d+) ayat/)!
        .slice(1)
        .map(Number)
    const doc = draft()
    const [, pasalCount, ayatCount] = await read()
    expect(pasalCount).toBe(numberDocument(doc).pasalCount)
    let ayat = 0
    doc.descendants((node) => ((ayat += Number(node.type.name === 'ayat')), !node.isTextblock))
    expect(ayatCount).toBe(ayat)
    await clickInto(page, 'Pasal 1')
    await page.keyboard.press('Control+Alt+P')
    await expect.poll(async () => (await read())[1], SYNC).toBe(pasalCount! + 1)
    const [words] = await read()
    await page.keyboard.type('Kata baru di sini')
    await expect.poll(async () => (await read())[0], SYNC).toBe(words! + 4)
  })

  test('the text is spellchecked in Indonesian', async () => {
    const text = editor.page.locator('.naskah[role=textbox]')
    expect(await text.getAttribute('spellcheck')).toBe('true')
    expect(await text.getAttribute('lang')).toBe('id')
  })
})

import type { Content, Division, Item, Lampiran, LampiranBlock, Pasal, Penjelasan, Regulation, Run, TableCell } from './regulation.js'
import type { SignatureBlock, Wording } from '../../shared/model/wording.js'

/**
 * A print-ready HTML page of the draft in the layout of Lampiran II (A4, Bookman, centred headings,
 * hanging indents), for the browser's "Print / Save as PDF". Every text is escaped.
 */

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

const runs = (list: readonly Run[]) =>
  list
    .map((run) => {
      let html = escape(run.text)
      if (run.italic) html = `<em>${html}</em>`
      if (run.bold) html = `<strong>${html}</strong>`
      return run.ref ? `<a class="rujukan" href="#u-${escape(run.ref.targetId)}">${html}</a>` : html
    })
    .join('')

const anchor = (id: string | null) => (id ? ` id="u-${escape(id)}"` : '')

function content(list: readonly Content[]): string {
  return list.map((c) => (c.kind === 'teks' ? `<p>${runs(c.runs)}</p>` : `<ol class="rincian">${c.items.map(item).join('')}</ol>`)).join('')
}

function item(entry: Item): string {
  return `<li${anchor(entry.id)}><span class="nomor">${escape(entry.label)}</span><div class="isi">${content(entry.content)}</div></li>`
}

function pasal(p: Pasal): string {
  const numbered = p.ayat.some((a) => a.label)
  const body = numbered
    ? `<ol class="ayat">${p.ayat.map(item).join('')}</ol>`
    : p.ayat.map((a) => `<div${anchor(a.id)}>${content(a.content)}</div>`).join('')
  return `<section class="pasal"${anchor(p.id)}><h4>${escape(p.label)}</h4>${body}</section>`
}

function division(d: Division): string {
  const heading = d.kind === 'bab' ? 'h2' : 'h3'
  // An amendment's Pasal I and II stand in a division without a heading.
  const title = d.label || d.title.length ? `<${heading}>${escape(d.label)}<br>${runs(d.title)}</${heading}>` : ''
  return `<section class="${d.kind}"${anchor(d.id)}>${title}${d.children
    .map((c) => (c.kind === 'pasal' ? pasal(c) : division(c)))
    .join('')}</section>`
}

const list = (items: readonly Item[]) =>
  items.length === 1 && !items[0]!.label ? content(items[0]!.content) : `<ol class="daftar">${items.map(item).join('')}</ol>`

const STYLE = `
@page { size: A4; margin: 2.5cm 2cm 2.5cm 3cm; @bottom-center { content: counter(page); font-family: inherit; } }
body { font-family: 'Bookman Old Style', 'TeX Gyre Bonum', 'URW Bookman', Georgia, serif; font-size: 12pt; line-height: 1.5; color: #000; max-width: 16cm; margin: 2cm auto; }
h1, h2, h3, h4 { font-size: 12pt; text-align: center; margin: 1.2em 0 0.6em; }
h1 { font-weight: bold; }
.tengah { text-align: center; font-weight: bold; }
p { margin: 0; text-align: justify; }
.baris { display: grid; grid-template-columns: 7em 1em 1fr; margin: 0.8em 0; }
ol { list-style: none; margin: 0; padding: 0; }
ol li { display: grid; grid-template-columns: 2.5em 1fr; }
ol.rincian li { grid-template-columns: 2em 1fr; }
.pasal h4 { font-weight: normal; }
a.rujukan { color: inherit; text-decoration: none; }
.ttd { display: grid; grid-template-columns: 1fr 1fr; gap: 1em 2em; margin-top: 2em; }
.ttd .kanan { grid-column: 2; }
.ttd .ruang { height: 4em; }
.penjelasan, .lampiran { break-before: page; }
.kepala-lampiran { margin-left: 50%; margin-bottom: 1.5em; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0; }
th, td { border: 1px solid #000; padding: 0.2em 0.4em; vertical-align: top; }
th { font-weight: bold; text-align: center; }
@media print { body { margin: 0; max-width: none; } }
`

const lines = (texts: readonly string[]) => texts.map(escape).join('<br>')

/** The signature and promulgation blocks, the gazette line and a Perda's NOREG. */
function closing(wording: Wording): string {
  const block = (b: SignatureBlock, cls: string) =>
    `<div${cls}><p>${escape(b.tempat)}</p><p>${escape(b.tanggal)}</p><p>${escape(b.jabatan)}</p><p class="ruang"></p><p>${escape(b.nama)}</p></div>`
  return `<div class="ttd">
${block(wording.penetapan, ' class="kanan"')}
${block(wording.pengundangan, '')}
</div>
<p>${escape(wording.berita)}</p>${wording.noreg ? `\n<p>${escape(wording.noreg)}</p>` : ''}`
}

/** The Penjelasan: its heading, I. UMUM, II. PASAL DEMI PASAL with each Pasal by its current number (SPEC S19). */
function penjelasan(part: Penjelasan, wording: Wording): string {
  const entries = part.pasal.map((entry) => `<section class="penjelasan-pasal"><h4>${escape(entry.label)}</h4>${content(entry.content)}</section>`)
  return `<section class="penjelasan">
<h2>${lines(wording.penjelasan)}</h2>
<h3>I. UMUM</h3>${content(part.umum)}
<h3>II. PASAL DEMI PASAL</h3>${entries.join('')}
</section>`
}

function lampiranBlock(part: LampiranBlock): string {
  if (part.kind === 'subjudul') return `<h3>${runs(part.runs)}</h3>`
  if (part.kind !== 'tabel') return content([part])
  const cell = (c: TableCell) => {
    const tag = c.header ? 'th' : 'td'
    const spans = `${c.colspan > 1 ? ` colspan="${c.colspan}"` : ''}${c.rowspan > 1 ? ` rowspan="${c.rowspan}"` : ''}`
    return `<${tag}${spans}>${content(c.content)}</${tag}>`
  }
  return `<table>${part.rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('')}</table>`
}

/** A Lampiran: the heading block from the metadata, its subject, its parts, and the signature. */
function lampiran(part: Lampiran, wording: Wording): string {
  return `<section class="lampiran"${anchor(part.id)}>
<p class="kepala-lampiran">${lines([part.label, ...wording.lampiran])}</p>
<h2>${runs(part.judul)}</h2>${part.blocks.map(lampiranBlock).join('')}
<div class="ttd"><div class="kanan"><p>${escape(wording.penetapan.jabatan)}</p><p class="ruang"></p><p>${escape(wording.penetapan.nama)}</p></div></div>
</section>`
}

export function toHtml(regulation: Regulation, title: string): string {
  const { wording } = regulation
  const judul = [...(wording.rancangan ? ['RANCANGAN'] : []), wording.judulJenis, wording.judulNomor]
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${lines(judul)}<br><br>TENTANG<br>${runs(regulation.nama)}</h1>
</header>
<p class="tengah">DENGAN RAHMAT TUHAN YANG MAHA ESA</p>
<p class="tengah">${escape(wording.jabatan)}</p>
<div class="baris"><span>Menimbang</span><span>:</span><div>${list(regulation.menimbang)}</div></div>
<div class="baris"><span>Mengingat</span><span>:</span><div>${list(regulation.mengingat)}</div></div>
${wording.persetujuan ? `<p class="tengah">${lines(wording.persetujuan)}</p>\n` : ''}<p class="tengah">MEMUTUSKAN:</p>
<div class="baris"><span>Menetapkan</span><span>:</span><p>${escape(wording.menetapkan)}</p></div>
<main>${regulation.bab.map(division).join('')}</main>
<footer>
${regulation.signed ? `<p>${escape(wording.perintahPengundangan)}</p>\n` : ''}${regulation.penutup.map((p) => `<p>${runs(p)}</p>`).join('')}
${regulation.signed ? closing(wording) : ''}
</footer>
${regulation.penjelasan ? penjelasan(regulation.penjelasan, wording) : ''}${regulation.lampiran.map((part) => lampiran(part, wording)).join('\n')}
</body>
</html>
`
}

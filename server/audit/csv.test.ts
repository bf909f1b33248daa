import { describe, expect, it } from 'vitest'
import { encodeAuditCsv, encodeCsvField } from './csv.js'

describe('audit CSV', () => {
  it('starts with a UTF-8 byte order mark and ends rows with CRLF', () => {
    const csv = encodeAuditCsv([{ at: '2026-01-02T03:04:05.000Z', actor: 'rina', action: 'login.succeeded', target: 'rina', address: '10.0.0.1' }])
    expect(csv.startsWith('\ufeffWaktu,Pengguna,')).toBe(true)
    expect(csv.split('\r\n')).toEqual([
      '\ufeffWaktu,Pengguna,ID akun,Tindakan,Kode tindakan,Sasaran,Rincian,Alamat',
      '2026-01-02T03:04:05.000Z,rina,,Masuk,login.succeeded,rina,,10.0.0.1',
      '',
    ])
  })

  it('quotes fields with commas, quotes and line breaks, doubling the quotes', () => {
    expect(encodeCsvField('a,b')).toBe('"a,b"')
    expect(encodeCsvField('kata "sandi"')).toBe('"kata ""sandi"""')
    expect(encodeCsvField('baris\nbaru')).toBe('"baris\nbaru"')
    expect(encodeCsvField('Sebelum rapat 8 Agustus')).toBe('Sebelum rapat 8 Agustus')
  })

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(encodeCsvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"')
    expect(encodeCsvField('+1')).toBe("'+1")
    expect(encodeCsvField('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(encodeCsvField('peran: editor → admin')).toBe('peran: editor → admin')
  })
})

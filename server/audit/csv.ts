import { AUDIT_ACTION_LABELS, type AuditEntry } from '../../shared/audit.js'

/** Column headings, in Indonesian: the file is opened by people, in a spreadsheet. */
const HEADER = ['Waktu', 'Pengguna', 'ID akun', 'Tindakan', 'Kode tindakan', 'Sasaran', 'Rincian', 'Alamat']

/** Excel reads a CSV as UTF-8 only when it starts with a byte order mark. */
const BOM = '\ufeff'

/**
 * One field, quoted when it holds a quote, comma, line break or leading space (RFC 4180). A field
 * a spreadsheet would run as a formula (starting with = + - @ or a tab) gets a leading apostrophe:
 * usernames typed at a failed sign-in are anyone's text.
 */
export function encodeCsvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]|^\s/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

/** The entries as a CSV file (UTF-8 with BOM, CRLF line ends), one row per entry, in the order given. */
export function encodeAuditCsv(entries: readonly AuditEntry[]): string {
  const rows = [
    HEADER,
    ...entries.map((e) => [e.at, e.actor, e.actorId ?? '', AUDIT_ACTION_LABELS[e.action], e.action, e.target, e.detail ?? '', e.address]),
  ]
  return BOM + rows.map((row) => row.map(encodeCsvField).join(',')).join('\r\n') + '\r\n'
}

/** Dates and times as Indonesian readers expect them: "27 November 2026 pukul 14.30". */
const dateTime = new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' })
const timeOnly = new Intl.DateTimeFormat('id-ID', { hour: '2-digit', minute: '2-digit' })

export function formatTime(iso: string, now = new Date()): string {
  const date = new Date(iso)
  if (date.toDateString() === now.toDateString()) return `hari ini pukul ${timeOnly.format(date)}`
  return dateTime.format(date).replace(/(\d{4}),? /, '$1 pukul ')
}

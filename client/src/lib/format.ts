/** Dates and times as Indonesian readers expect them: "27 November 2026 pukul 14.30". */
const formats = (seconds: boolean) => {
  const time: Intl.DateTimeFormatOptions = seconds
    ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
    : { hour: '2-digit', minute: '2-digit' }
  return {
    dateTime: new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', ...time }),
    timeOnly: new Intl.DateTimeFormat('id-ID', time),
  }
}
const MINUTES = formats(false)
const SECONDS = formats(true)

/** `seconds` for lists where two entries can fall in the same minute (versions). */
export function formatTime(iso: string, options: { seconds?: boolean; now?: Date } = {}): string {
  const { dateTime, timeOnly } = options.seconds ? SECONDS : MINUTES
  const date = new Date(iso)
  if (date.toDateString() === (options.now ?? new Date()).toDateString()) return `hari ini pukul ${timeOnly.format(date)}`
  // Some ICU versions already write "pukul" after the year; others a comma.
  return dateTime.format(date).replace(/(\d{4}),? (?:pukul )?/, '$1 pukul ')
}

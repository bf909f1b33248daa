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

const RELATIVE = new Intl.RelativeTimeFormat('id-ID', { numeric: 'auto' })
/** Each unit with how many seconds it holds, largest first. */
const UNITS: ReadonlyArray<readonly [Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]

/**
 * How long ago `iso` was, in the largest whole unit, as Indonesian readers say it: "5 menit yang
 * lalu", "kemarin", "2 minggu yang lalu"; under a minute is "baru saja". Shown beside `formatTime`,
 * which gives the exact moment.
 */
export function formatRelative(iso: string, now: Date = new Date()): string {
  const seconds = (new Date(iso).getTime() - now.getTime()) / 1000
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return RELATIVE.format(Math.trunc(seconds / size), unit)
  }
  return 'baru saja'
}

/**
 * Structured, single-line logs on stderr ("2026-01-01T00:00:00.000Z warn message key=value").
 * Level from LOG_LEVEL: error, warn, info (default), debug.
 */
const LEVELS = { error: 0, warn: 1, info: 2, debug: 3 } as const
type Level = keyof typeof LEVELS

const threshold = LEVELS[(process.env.LOG_LEVEL as Level | undefined) ?? 'info'] ?? LEVELS.info

export type LogFields = Record<string, unknown>

function format(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message)
  if (typeof value === 'string') return /^[\w./:@-]*$/.test(value) ? value : JSON.stringify(value)
  return JSON.stringify(value) ?? String(value)
}

function write(level: Level, message: string, fields?: LogFields) {
  if (LEVELS[level] > threshold) return
  const parts = [new Date().toISOString(), level, message]
  if (fields) for (const [key, value] of Object.entries(fields)) if (value !== undefined) parts.push(`${key}=${format(value)}`)
  process.stderr.write(`${parts.join(' ')}\n`)
}

export const log = {
  error: (message: string, fields?: LogFields) => write('error', message, fields),
  warn: (message: string, fields?: LogFields) => write('warn', message, fields),
  info: (message: string, fields?: LogFields) => write('info', message, fields),
  debug: (message: string, fields?: LogFields) => write('debug', message, fields),
}

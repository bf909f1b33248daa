import { randomBytes } from 'node:crypto'

/**
 * Structured logs on stderr, one line per event. `LOG_FORMAT=text` (the default) writes
 * "2026-01-01T00:00:00.000Z warn message key=value"; `LOG_FORMAT=json` writes one JSON object per
 * line, `{"time","level","msg",...fields}`, for journald and Loki. Level from `LOG_LEVEL`: error,
 * warn, info (default), debug.
 *
 * Secrets never reach a log line, whoever logs them: fields named like a secret (password, token,
 * authorization, ...) are replaced, and bearer tokens, JWTs and `token=` query values are cut out
 * of every string, messages and error stacks included (THREAT_MODEL.md P25).
 */
const LEVELS = { error: 0, warn: 1, info: 2, debug: 3 } as const
export type Level = keyof typeof LEVELS
export type LogFormat = 'text' | 'json'

export type LogFields = Record<string, unknown>

export interface Logger {
  error(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  debug(message: string, fields?: LogFields): void
}

export interface LoggerOptions {
  readonly format: LogFormat
  readonly level: Level
  /** Receives each finished line, newline included. */
  readonly write: (line: string) => void
  readonly now?: () => Date
}

export const REDACTED = '[redacted]'

/** Field names whose value is a secret, at any depth. */
const SECRET_KEY = /pass(word)?|token|secret|authori[sz]ation|cookie|session.?key|credential/i

/** Secrets that may sit inside any string: URL query values and passwords, bearer credentials, JWTs. */
const SECRET_TEXT: ReadonlyArray<readonly [RegExp, string]> = [
  // scheme://user:password@host, as in DATABASE_URL (THREAT_MODEL P36).
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s"']*:)[^@\s"']*@/gi, `$1${REDACTED}@`],
  [/([?&;](?:access_)?(?:token|password)=)[^&\s"'\\#]*/gi, `$1${REDACTED}`],
  [/(\bBearer\s+)[\w.~+/=-]+/gi, `$1${REDACTED}`],
  [/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, REDACTED],
]

/** `text` with every secret-looking part replaced. */
export function redactText(text: string): string {
  let out = text
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement)
  return out
}

/** A field value as logged: an error as its message (callers pass `error.stack` when they want it). */
function plain(value: unknown): unknown {
  if (value instanceof Error) return value.message
  return value
}

/** A `JSON.stringify` replacer that hides secret-named fields of nested objects. */
function redactKeys(key: string, value: unknown): unknown {
  if (key !== '' && SECRET_KEY.test(key)) return REDACTED
  return plain(value)
}

function formatText(value: unknown): string {
  if (typeof value === 'string') return /^[\w./:@-]*$/.test(value) ? value : JSON.stringify(value)
  return JSON.stringify(value, redactKeys) ?? String(value)
}

/** One log line (without the newline) in `format`, secrets removed. */
export function formatLine(format: LogFormat, time: Date, level: Level, message: string, fields: LogFields = {}): string {
  const present = Object.entries(fields).filter(([, value]) => value !== undefined)
  if (format === 'json') {
    const entry: Record<string, unknown> = { time: time.toISOString(), level, msg: message }
    for (const [key, value] of present) if (!(key in entry)) entry[key] = SECRET_KEY.test(key) ? REDACTED : plain(value)
    return redactText(JSON.stringify(entry, redactKeys))
  }
  const parts = [time.toISOString(), level, message]
  for (const [key, value] of present) parts.push(`${key}=${SECRET_KEY.test(key) ? REDACTED : formatText(plain(value))}`)
  return redactText(parts.join(' '))
}

export function createLogger(options: LoggerOptions): Logger {
  const threshold = LEVELS[options.level]
  const now = options.now ?? (() => new Date())
  const write = (level: Level) => (message: string, fields?: LogFields) => {
    if (LEVELS[level] <= threshold) options.write(`${formatLine(options.format, now(), level, message, fields)}\n`)
  }
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug') }
}

/**
 * Reads LOG_FORMAT and LOG_LEVEL; throws naming the variable when one is set to something else.
 * Read once, when the first module logs, so the CLI and the server log alike.
 */
export function readLogOptions(env: Record<string, string | undefined>): Pick<LoggerOptions, 'format' | 'level'> {
  const format = env.LOG_FORMAT || 'text'
  if (format !== 'text' && format !== 'json') throw new Error(`LOG_FORMAT must be "text" or "json", got "${format}"`)
  const level = env.LOG_LEVEL || 'info'
  if (!Object.hasOwn(LEVELS, level)) throw new Error(`LOG_LEVEL must be one of ${Object.keys(LEVELS).join(', ')}, got "${level}"`)
  return { format, level: level as Level }
}

export const log: Logger = createLogger({ ...readLogOptions(process.env), write: (line) => process.stderr.write(line) })

/** A short random id for a request (`reqId`) or connection (`connId`), to find its log lines. */
export function logId(): string {
  return randomBytes(6).toString('base64url')
}

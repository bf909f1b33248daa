import { describe, expect, it } from 'vitest'
import { createLogger, formatLine, readLogOptions, REDACTED, redactText, type LogFormat } from './log.js'

const TIME = new Date('2026-03-01T08:00:00.000Z')
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLWJ5dGVz'

function lines(format: LogFormat, level: 'info' | 'debug' = 'info') {
  const out: string[] = []
  const logger = createLogger({ format, level, write: (line) => out.push(line), now: () => TIME })
  return { logger, out }
}

describe('log', () => {
  it('writes one JSON object per line with time, level, msg and the fields when LOG_FORMAT=json', () => {
    const { logger, out } = lines('json')
    logger.warn('closing connection', { connId: 'abc123', doc: 'rapergub-spbe', bytes: 12, error: new Error('boom'), skipped: undefined })
    logger.debug('not at info')
    expect(out).toHaveLength(1)
    expect(out[0]!.endsWith('\n')).toBe(true)
    expect(out[0]!.trimEnd()).not.toContain('\n')
    expect(JSON.parse(out[0]!)).toEqual({
      time: '2026-03-01T08:00:00.000Z',
      level: 'warn',
      msg: 'closing connection',
      connId: 'abc123',
      doc: 'rapergub-spbe',
      bytes: 12,
      error: 'boom',
    })
  })

  it('keeps the text format by default, and a field cannot overwrite time, level or msg in JSON', () => {
    expect(readLogOptions({})).toEqual({ format: 'text', level: 'info' })
    expect(formatLine('text', TIME, 'info', 'joined', { doc: 'rapergub-spbe', user: 'Rina W.' })).toBe(
      '2026-03-01T08:00:00.000Z info joined doc=rapergub-spbe user="Rina W."',
    )
    expect(JSON.parse(formatLine('json', TIME, 'info', 'real', { msg: 'forged', level: 'error' }))).toMatchObject({ msg: 'real', level: 'info' })
  })

  it('never writes a password, token or Authorization value, in fields, nested fields, messages or error text', () => {
    for (const format of ['text', 'json'] as const) {
      const { logger, out } = lines(format)
      logger.info(`upgrade /collab/rapergub-spbe?v=3&token=${JWT}`, {
        password: 'sandi-rahasia-123',
        body: { username: 'admin', password: 'sandi-rahasia-123', nested: { accessToken: 'rahasia-token-456' } },
        headers: { authorization: 'Bearer rahasia-bearer-789', host: 'rancang.local' },
        url: '/collab/rapergub-spbe?token=rahasia-query-000&v=3',
        error: new Error(`fetch failed for Bearer ${JWT}`),
      })
      const text = out.join('')
      for (const secret of ['sandi-rahasia-123', 'rahasia-token-456', 'rahasia-bearer-789', 'rahasia-query-000', JWT, 'eyJ'])
        expect(text, `${format}: ${secret}`).not.toContain(secret)
      expect(text).toContain(REDACTED)
      expect(text).toContain('rancang.local')
      expect(text).toContain('v=3')
      if (format === 'json') expect(() => JSON.parse(text)).not.toThrow()
    }
  })

  it('cuts token= query values, bearer credentials and JWTs out of any text', () => {
    expect(redactText('GET /collab/x?token=abc.def-ghi&v=2 200')).toBe(`GET /collab/x?token=${REDACTED}&v=2 200`)
    expect(redactText('a?v=1&TOKEN=abc#frag')).toBe(`a?v=1&TOKEN=${REDACTED}#frag`)
    expect(redactText('authorization: Bearer abc/def+ghi=')).toBe(`authorization: Bearer ${REDACTED}`)
    expect(redactText(`sid ${JWT} end`)).toBe(`sid ${REDACTED} end`)
    expect(redactText('a tokenizer=3 and ?tokens=4 stay')).toBe('a tokenizer=3 and ?tokens=4 stay')
  })

  it('cuts the password out of a URL with credentials, as DATABASE_URL may be (P36)', () => {
    expect(redactText('connect postgres://rancang:s3kr%40t!@db.local:5432/rancang failed')).toBe(
      `connect postgres://rancang:${REDACTED}@db.local:5432/rancang failed`,
    )
    expect(redactText('"postgresql://u:p@h/d"')).toBe(`"postgresql://u:${REDACTED}@h/d"`)
    expect(redactText('postgres://rancang@db.local/rancang and http://host:8080/x stay')).toBe(
      'postgres://rancang@db.local/rancang and http://host:8080/x stay',
    )
  })

  it('refuses an unknown LOG_FORMAT or LOG_LEVEL, naming the variable', () => {
    expect(readLogOptions({ LOG_FORMAT: 'json', LOG_LEVEL: 'debug' })).toEqual({ format: 'json', level: 'debug' })
    expect(() => readLogOptions({ LOG_FORMAT: 'xml' })).toThrow(/^LOG_FORMAT/)
    expect(() => readLogOptions({ LOG_LEVEL: 'toString' })).toThrow(/^LOG_LEVEL/)
  })
})

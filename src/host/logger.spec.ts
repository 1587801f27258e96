import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogger, fileLogSink, logLevelFromEnv, teeLogger } from './logger'

describe('createLogger', () => {
  it('writes timestamped lines at or above the minimum level', () => {
    const lines: string[] = []
    const log = createLogger({ write: (l) => lines.push(l), minLevel: 'info', now: () => Date.UTC(2024, 0, 2, 3, 4, 5) })
    log('debug', 'hidden')
    log('info', 'hello')
    log('error', 'bad\nthing')
    expect(lines).toEqual(['2024-01-02T03:04:05.000Z INFO  hello', '2024-01-02T03:04:05.000Z ERROR bad\n    thing'])
  })

  it('never throws when the sink fails', () => {
    const log = createLogger({
      write: () => {
        throw new Error('EPIPE')
      }
    })
    expect(() => log('warn', 'x')).not.toThrow()
  })

  it('tees to several loggers', () => {
    const a = vi.fn()
    const b = vi.fn()
    teeLogger(a, b)('warn', 'both')
    expect(a).toHaveBeenCalledWith('warn', 'both')
    expect(b).toHaveBeenCalledWith('warn', 'both')
  })

  it('reads the level from the environment', () => {
    expect(logLevelFromEnv({ TICKERDESK_LOG_LEVEL: 'DEBUG' })).toBe('debug')
    expect(logLevelFromEnv({ TICKERDESK_LOG_LEVEL: 'loud' })).toBe('info')
    expect(logLevelFromEnv({})).toBe('info')
  })
})

describe('fileLogSink', () => {
  let dir = ''
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('appends lines to a file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'td-log-'))
    const file = join(dir, 'host.log')
    const sink = fileLogSink(file)
    sink('one')
    sink('two')
    await vi.waitFor(() => expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n'))
  })
})

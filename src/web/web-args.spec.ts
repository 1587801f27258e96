import { describe, expect, it } from 'vitest'
import { DEFAULT_WEB_HOST, DEFAULT_WEB_PORT, WEB_USAGE, parseWebArgs } from './web-args'
import { AVAILABLE_PROVIDERS } from '../shared/providers'

describe('parseWebArgs', () => {
  it('defaults to the loopback address and the fixed port', () => {
    expect(parseWebArgs([])).toEqual({ kind: 'run', args: { port: DEFAULT_WEB_PORT, host: DEFAULT_WEB_HOST, provider: undefined, refreshIntervalSec: undefined, allHours: false } })
    expect(DEFAULT_WEB_HOST).toBe('127.0.0.1')
  })

  it('reads --port, --host and --provider', () => {
    expect(parseWebArgs(['--port', '0', '--host', '0.0.0.0', '--provider', 'Simulated'])).toEqual({
      kind: 'run',
      args: { port: 0, host: '0.0.0.0', provider: 'simulated', refreshIntervalSec: undefined, allHours: false }
    })
    expect(parseWebArgs(['--port=8080'])).toMatchObject({ kind: 'run', args: { port: 8080 } })
    expect(parseWebArgs(['--refresh-interval', '2'])).toMatchObject({ kind: 'run', args: { refreshIntervalSec: 2 } })
  })

  it('reads --all-hours as a switch', () => {
    expect(parseWebArgs(['--all-hours'])).toMatchObject({ kind: 'run', args: { allHours: true } })
    expect(parseWebArgs(['--all-hours=yes'])).toMatchObject({ kind: 'error' })
    expect(WEB_USAGE).toContain('--all-hours')
  })

  it('recognises --help and -h', () => {
    expect(parseWebArgs(['--help'])).toEqual({ kind: 'help' })
    expect(parseWebArgs(['-h'])).toEqual({ kind: 'help' })
  })

  it.each([
    [['--port', 'abc'], '--port must be a whole number'],
    [['--port', '70000'], '--port must be a whole number'],
    [['--port', '1.5'], '--port must be a whole number'],
    [['--provider', 'nasdaq'], `Unknown provider "nasdaq"; choose one of: ${AVAILABLE_PROVIDERS.join(', ')}`],
    [['--host', 'a b'], '--host must be'],
    [['--refresh-interval', '0'], '--refresh-interval must be a whole number of seconds'],
    [['--refresh-interval', 'fast'], '--refresh-interval must be a whole number of seconds'],
    [['--colour'], "Unknown option '--colour'"],
    [['extra'], 'extra']
  ])('rejects %j with a plain message', (argv, message) => {
    const result = parseWebArgs(argv)
    expect(result.kind).toBe('error')
    if (result.kind === 'error') expect(result.message).toContain(message)
  })
})

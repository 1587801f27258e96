import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeEngine } from '../host/testing/fake-engine'
import { makeQuote } from '../host/testing/quote-fixture'
import type { EngineCommand } from '../shared/ipc/engine-protocol'
import { runCli } from './cli'
import { captureIo } from './testing-io'

const SAVED = { day: '2025-02-19', used: 7 }
const AFTER_QUOTE = { day: '2025-02-19', used: 8 }
const FINAL = { day: '2025-02-19', used: 9 }

/** Answers the CLI's interest at once and reports usage like the engine: on a request, and once more as it stops. */
class UsageEngine extends FakeEngine {
  override send(command: EngineCommand): void {
    super.send(command)
    if (command.type !== 'set-interest') return
    queueMicrotask(() => {
      this.push({ type: 'quota-usage', provider: 'finnhub', snapshot: AFTER_QUOTE })
      this.push({ type: 'quotes', patches: command.symbols.map((symbol) => makeQuote(symbol, { source: 'finnhub' })) })
    })
  }

  override async dispose(): Promise<void> {
    this.push({ type: 'quota-usage', provider: 'finnhub', snapshot: FINAL })
    await super.dispose()
  }
}

let dir: string
const usageFile = () => join(dir, 'quota-usage.json')
const readUsage = () => JSON.parse(readFileSync(usageFile(), 'utf8')) as { schemaVersion: number; byProvider: Record<string, unknown> }

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tickerdesk-cli-usage-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('CLI quota usage', () => {
  it('quote restores the saved usage before configure and saves every report, the final one included', async () => {
    writeFileSync(usageFile(), JSON.stringify({ schemaVersion: 1, byProvider: { finnhub: SAVED, alphavantage: { used: 3 } } }))
    const engine = new UsageEngine()
    const c = captureIo({ TICKERDESK_DATA_DIR: dir }, { createEngine: () => engine })
    expect(await runCli(['quote', 'AAPL', '--json', '--provider', 'finnhub'], c.io)).toBe(0)
    expect(c.stderr()).toBe('')
    const types = engine.sent.map((command) => command.type)
    expect(types.slice(0, 2)).toEqual(['restore-quota-usage', 'configure'])
    expect(engine.sentOfType('restore-quota-usage')[0]?.usage).toEqual({ finnhub: SAVED, alphavantage: { used: 3 } })
    expect(readUsage()).toEqual({ schemaVersion: 1, byProvider: { finnhub: FINAL, alphavantage: { used: 3 } } })
  })

  it('a second run starts from the first run\'s usage; a new file gets the version the app expects', async () => {
    const first = new UsageEngine()
    await runCli(['quote', 'AAPL', '--provider', 'finnhub'], captureIo({}, { dataDir: dir, createEngine: () => first }).io)
    expect(first.sentOfType('restore-quota-usage')[0]?.usage).toEqual({})
    expect(readUsage()).toEqual({ schemaVersion: 1, byProvider: { finnhub: FINAL } })

    const second = new UsageEngine()
    await runCli(['quote', 'MSFT', '--provider', 'finnhub'], captureIo({}, { dataDir: dir, createEngine: () => second }).io)
    expect(second.sentOfType('restore-quota-usage')[0]?.usage).toEqual({ finnhub: FINAL })
  })

  it('writes only its own providers, onto what another TickerDesk saved meanwhile', async () => {
    writeFileSync(usageFile(), JSON.stringify({ schemaVersion: 1, byProvider: { finnhub: SAVED } }))
    const engine = new UsageEngine()
    const stop = new AbortController()
    const c = captureIo({}, { dataDir: dir, signal: stop.signal, createEngine: () => engine })
    const running = runCli(['watch', 'AAPL', '--json', '--provider', 'finnhub'], c.io)
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(engine.sent.map((command) => command.type).slice(0, 2)).toEqual(['restore-quota-usage', 'configure'])
    // The app, running alongside, records another provider's usage.
    writeFileSync(usageFile(), JSON.stringify({ schemaVersion: 1, byProvider: { finnhub: SAVED, twelvedata: { used: 1 } } }))
    stop.abort()
    expect(await running).toBe(0)
    expect(readUsage().byProvider).toEqual({ finnhub: FINAL, twelvedata: { used: 1 } })
  })

  it('a damaged usage file is left alone with a note on stderr, and the quote still works', async () => {
    writeFileSync(usageFile(), '{ not json')
    const engine = new UsageEngine()
    const c = captureIo({}, { dataDir: dir, createEngine: () => engine })
    expect(await runCli(['quote', 'AAPL', '--json', '--provider', 'finnhub'], c.io)).toBe(0)
    expect(c.stderr()).toMatch(/provider usage file .*quota-usage\.json.*starts from zero requests used/)
    expect(JSON.parse(c.stdout())).toEqual([expect.objectContaining({ symbol: 'AAPL' })])
    expect(engine.sentOfType('restore-quota-usage')).toEqual([])
    expect(readFileSync(usageFile(), 'utf8')).toBe('{ not json')
  })

  it('a file of the wrong shape is left alone too', async () => {
    writeFileSync(usageFile(), JSON.stringify({ byProvider: 'lots' }))
    const c = captureIo({}, { dataDir: dir, createEngine: () => new UsageEngine() })
    expect(await runCli(['quote', 'AAPL', '--provider', 'finnhub'], c.io)).toBe(0)
    expect(c.stderr()).toMatch(/is damaged/)
    expect(JSON.parse(readFileSync(usageFile(), 'utf8'))).toEqual({ byProvider: 'lots' })
  })

  it('a data directory that cannot exist costs a note, not the command', async () => {
    const blocked = join(dir, 'blocked')
    writeFileSync(blocked, 'a file where the directory should be')
    const c = captureIo({}, { dataDir: join(blocked, 'TickerDesk'), createEngine: () => new UsageEngine() })
    expect(await runCli(['quote', 'AAPL', '--json', '--provider', 'finnhub'], c.io)).toBe(0)
    expect(c.stderr()).toMatch(/provider usage file/)
    expect(JSON.parse(c.stdout())).toEqual([expect.objectContaining({ symbol: 'AAPL' })])
  })
})

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeCoinbase, type FakeCoinbase } from '../../tests/fakes/coinbase-server'
import { startFakeYahoo, type FakeYahoo } from '../../tests/fakes/yahoo-server'
import { FakeEngine } from '../host/testing/fake-engine'
import { QuoteSchema } from '../shared/quote'
import { runCli } from './cli'
import { captureIo } from './testing-io'
import { AVAILABLE_PROVIDERS } from '../shared/providers'

type JsonOutcome = { symbol: string; price?: number; error?: string }

function parseJson(text: string): JsonOutcome[] {
  return JSON.parse(text) as JsonOutcome[]
}

describe('runCli usage', () => {
  it.each([['help'], ['--help'], ['-h']])('%s prints usage and exits 0', async (arg) => {
    const c = captureIo()
    expect(await runCli([arg], c.io)).toBe(0)
    expect(c.stdout()).toContain('Usage:')
    expect(c.stdout()).toContain('quote SYMBOL...')
  })

  it('prints command help for quote --help', async () => {
    const c = captureIo()
    expect(await runCli(['quote', '--help'], c.io)).toBe(0)
    expect(c.stdout()).toContain('--timeout')
  })

  it.each([
    [[], 'quote or watch'],
    [['fetch', 'AAPL'], 'Unknown command "fetch"'],
    [['quote'], 'needs at least one symbol'],
    [['quote', '--json'], 'needs at least one symbol'],
    [['quote', 'AAPL', '--provider', 'nasdaq'], `Unknown provider "nasdaq"; choose one of: ${AVAILABLE_PROVIDERS.join(', ')}`],
    [['quote', 'AAPL', '--timeout', 'soon'], '--timeout must be a number of seconds'],
    [['quote', 'AAPL', '--interval', '5'], "Unknown option '--interval'"],
    [['watch', 'AAPL', '--interval', '0'], '--interval must be a whole number of seconds from 1 to 3600'],
    [['watch'], 'needs at least one symbol']
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const c = captureIo()
    expect(await runCli(argv, c.io)).toBe(2)
    expect(c.stderr()).toContain(message)
    expect(c.stderr()).toContain('Usage:')
    expect(c.stdout()).toBe('')
  })
})

describe('quote with the simulated provider', () => {
  it('prints a JSON array of full quotes in the order asked, exit 0', async () => {
    const c = captureIo()
    const code = await runCli(['quote', 'msft', 'BTC-USD', 'AAPL', '--json', '--provider', 'simulated'], c.io)
    expect(c.stderr()).toBe('')
    expect(code).toBe(0)
    const rows = parseJson(c.stdout())
    expect(rows.map((r) => r.symbol)).toEqual(['MSFT', 'BTC-USD', 'AAPL'])
    for (const row of rows) expect(QuoteSchema.safeParse(row).success).toBe(true)
  })

  it('reports a malformed symbol as that symbol’s error, not a usage error, exit 1', async () => {
    const c = captureIo()
    const code = await runCli(['quote', 'AAPL', 'no way!', '--json', '--provider', 'simulated'], c.io)
    expect(code).toBe(1)
    const rows = parseJson(c.stdout())
    expect(rows[0]).toMatchObject({ symbol: 'AAPL', price: expect.any(Number) })
    expect(rows[1]).toEqual({ symbol: 'no way!', error: expect.stringContaining('not a valid ticker symbol') })
  })

  it('prints an aligned table without --json', async () => {
    const c = captureIo()
    expect(await runCli(['quote', 'AAPL', 'BRK-B', 'x?', '--provider', 'simulated'], c.io)).toBe(1)
    const lines = c.stdout().trimEnd().split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/^SYMBOL\s+PRICE\s+CHANGE\s+CHANGE %\s+CURRENCY\s+MARKET\s+NAME$/)
    expect(lines[1]).toMatch(/^AAPL\s+\d+\.\d{2}\s/)
    expect(lines[2]).toMatch(/^BRK-B\s/)
    expect(lines[3]).toMatch(/^x\?\s+-\s+error: .*not a valid ticker symbol/)
    // Right-aligned price column: every price ends where the PRICE header ends.
    const priceEnd = (lines[0] ?? '').indexOf('PRICE') + 'PRICE'.length
    for (const line of lines.slice(1, 3)) {
      const match = /\d+\.\d+/.exec(line)
      expect(match && match.index + match[0].length).toBeGreaterThanOrEqual(priceEnd)
      expect(line.indexOf('USD')).toBe(lines[1]?.indexOf('USD'))
    }
  })
})

describe('quote against the fake Yahoo server', () => {
  let yahoo: FakeYahoo
  beforeEach(async () => {
    yahoo = await startFakeYahoo()
  })
  afterEach(async () => {
    await yahoo.close()
  })

  it('prices known symbols and names unknown ones, exit 1', async () => {
    yahoo.setQuote('AAPL', { price: 187.42 })
    const c = captureIo({ TICKERDESK_YAHOO_URL: yahoo.url })
    const code = await runCli(['quote', 'AAPL', 'XYZQ', '--json'], c.io)
    expect(code).toBe(1)
    const rows = parseJson(c.stdout())
    expect(rows[0]).toMatchObject({ symbol: 'AAPL', price: 187.42, source: 'yahoo' })
    expect(rows[1]).toEqual({ symbol: 'XYZQ', error: 'Unknown symbol XYZQ' })
  })

  it('exits 0 when every symbol is priced', async () => {
    const c = captureIo({ TICKERDESK_YAHOO_URL: yahoo.url })
    expect(await runCli(['quote', 'AAPL', 'MSFT', '--json'], c.io)).toBe(0)
    expect(parseJson(c.stdout()).map((r) => r.symbol)).toEqual(['AAPL', 'MSFT'])
  })

  it('turns a rate limit into every symbol’s error', async () => {
    yahoo.rateLimit(100, 60)
    const c = captureIo({ TICKERDESK_YAHOO_URL: yahoo.url })
    expect(await runCli(['quote', 'AAPL', 'MSFT', '--json', '--timeout', '10'], c.io)).toBe(1)
    const rows = parseJson(c.stdout())
    expect(rows).toHaveLength(2)
    for (const row of rows) expect(row.error).toMatch(/rate limit/i)
  })

  it('says it cannot reach the provider when the server is down', async () => {
    await yahoo.stop()
    const c = captureIo({ TICKERDESK_YAHOO_URL: yahoo.url })
    expect(await runCli(['quote', 'AAPL', '--json', '--timeout', '10'], c.io)).toBe(1)
    expect(parseJson(c.stdout())[0]?.error).toContain('Cannot reach')
  })
})

describe('quote timeout', () => {
  it('marks symbols without an answer as timed out', async () => {
    const engine = new FakeEngine()
    const c = captureIo({}, { createEngine: () => engine })
    const code = await runCli(['quote', 'AAPL', '--json', '--provider', 'simulated', '--timeout', '0.2'], c.io)
    expect(code).toBe(1)
    expect(parseJson(c.stdout())).toEqual([{ symbol: 'AAPL', error: 'timed out waiting for Simulated market after 0.2 s' }])
    expect(engine.sentOfType('set-interest')).toEqual([{ type: 'set-interest', consumer: 'cli', symbols: ['AAPL'] }])
    // A lookup is answered whether or not the US market is open.
    expect(engine.sentOfType('configure')[0]?.config.marketHours).toBeNull()
    expect(engine.disposed).toBe(true)
  })
})

describe('watch', () => {
  it('streams NDJSON quotes until stopped, then exits 0', async () => {
    const stop = new AbortController()
    const lines: string[] = []
    const c = captureIo({}, { signal: stop.signal })
    c.io.stdout = {
      write: (text: string) => {
        lines.push(...text.split('\n').filter(Boolean))
        if (lines.length >= 2) stop.abort()
      }
    }
    const code = await runCli(['watch', 'AAPL', 'bad sym', '--json', '--provider', 'simulated', '--interval', '1'], c.io)
    expect(code).toBe(0)
    const parsed = lines.map((line) => JSON.parse(line) as JsonOutcome)
    expect(parsed[0]).toEqual({ symbol: 'bad sym', error: expect.stringContaining('not a valid ticker symbol') })
    expect(QuoteSchema.parse(parsed[1]).symbol).toBe('AAPL')
  })

  it('prints one readable line per changed quote and provider problems on stderr', async () => {
    const engine = new FakeEngine()
    const stop = new AbortController()
    const c = captureIo({}, { signal: stop.signal, createEngine: () => engine })
    const running = runCli(['watch', 'AAPL', 'ZZZ', '--provider', 'simulated'], c.io)
    await new Promise((resolve) => setTimeout(resolve, 10))
    const { makeQuote } = await import('../host/testing/quote-fixture')
    engine.push({ type: 'quotes', patches: [makeQuote('AAPL', { price: 187.42, change: 1.5, changePercent: 0.81 })] })
    engine.push({ type: 'quotes', patches: [{ symbol: 'AAPL', receivedAt: 5 }] })
    engine.push({ type: 'quotes', patches: [{ symbol: 'AAPL', price: 188 }] })
    engine.push({ type: 'symbol-errors', errors: [{ symbol: 'ZZZ', message: 'Unknown symbol ZZZ' }] })
    engine.push({
      type: 'status',
      status: { provider: 'simulated', online: false, offlineSince: 1, lastSuccess: null, lastError: 'Cannot reach the market', rateLimitedUntil: null }
    })
    stop.abort()
    expect(await running).toBe(0)
    const out = c.stdout().trimEnd().split('\n')
    expect(out).toHaveLength(3)
    expect(out[0]).toMatch(/^\d\d:\d\d:\d\d {2}AAPL\s+187\.42 {2}\+1\.50 \(\+0\.81%\) {2}USD$/)
    expect(out[1]).toMatch(/AAPL\s+188\.00/)
    expect(out[2]).toBe('ZZZ: Unknown symbol ZZZ')
    expect(c.stderr()).toContain('Simulated market: Cannot reach the market')
    expect(engine.sentOfType('configure')[0]?.config).toMatchObject({ provider: 'simulated', refreshIntervalSec: 10, marketHours: null })
    expect(engine.disposed).toBe(true)
  })

  it('exits 1 when no symbol can be watched', async () => {
    const c = captureIo()
    expect(await runCli(['watch', '!!', '--provider', 'simulated'], c.io)).toBe(1)
    expect(c.stdout()).toContain('not a valid ticker symbol')
  })
})

describe('watch with a streaming provider', () => {
  let coinbase: FakeCoinbase
  beforeEach(async () => {
    coinbase = await startFakeCoinbase({ unlimited: true })
    coinbase.setProduct('BTC-USD', { price: '50000.00' })
  })
  afterEach(async () => {
    await coinbase.close()
  })

  it('takes websocket ticks between polls, while a one-shot quote opens no stream', async () => {
    const env = { TICKERDESK_COINBASE_URL: coinbase.url, TICKERDESK_COINBASE_WS_URL: coinbase.wsUrl }
    expect(await runCli(['quote', 'BTC-USD', '--json', '--provider', 'coinbase'], captureIo(env).io)).toBe(0)
    expect(coinbase.wsMessages).toEqual([])

    const stop = new AbortController()
    const prices: number[] = []
    const c = captureIo(env, { signal: stop.signal })
    c.io.stdout = {
      write: (text: string) => {
        for (const line of text.split('\n').filter(Boolean)) prices.push((JSON.parse(line) as { price: number }).price)
        if (prices.includes(50_123.45)) stop.abort()
      }
    }
    const running = runCli(['watch', 'BTC-USD', '--json', '--provider', 'coinbase', '--interval', '3600'], c.io)
    await expect.poll(() => coinbase.subscriptions().flat(), { timeout: 5_000 }).toContain('BTC-USD')
    await expect.poll(() => prices.length, { timeout: 5_000 }).toBeGreaterThan(0)
    // Only the feed knows this price: the REST ticker still says 50,000 and is not polled again for an hour.
    expect(coinbase.pushTicker('BTC-USD', { price: '50123.45' })).toBe(1)
    expect(await running).toBe(0)
    expect(prices).toEqual([50_000, 50_123.45])
  }, 15_000)
})

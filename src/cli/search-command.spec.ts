import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeYahoo, type FakeYahoo } from '../../tests/fakes/yahoo-server'
import { runCli } from './cli'
import { captureIo } from './testing-io'

let yahoo: FakeYahoo
let dataDir: string

beforeEach(async () => {
  yahoo = await startFakeYahoo()
  dataDir = mkdtempSync(join(tmpdir(), 'tickerdesk-search-'))
})

afterEach(async () => {
  await yahoo.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const env = () => ({ TICKERDESK_YAHOO_URL: yahoo.url, TICKERDESK_DATA_DIR: dataDir })

describe('cli search', () => {
  it('prints exactly symbol, name, exchange and type with --json, exit 0', async () => {
    const c = captureIo(env())
    expect(await runCli(['search', 'aapl', '--json'], c.io)).toBe(0)
    const rows = JSON.parse(c.stdout()) as Record<string, unknown>[]
    expect(rows[0]).toMatchObject({ symbol: 'AAPL', type: 'EQUITY' })
    for (const row of rows) expect(Object.keys(row)).toEqual(['symbol', 'name', 'exchange', 'type'])
    expect(yahoo.requests.filter((r) => r.path === '/v1/finance/search')).toHaveLength(1)
    expect(c.stderr()).toBe('')
  })

  it('prints [] and exits 0 when nothing matches', async () => {
    const c = captureIo(env())
    expect(await runCli(['search', 'qqqzzzx', '--json'], c.io)).toBe(0)
    expect(JSON.parse(c.stdout())).toEqual([])
  })

  it('honours --limit and prints a table without --json', async () => {
    const c = captureIo(env())
    expect(await runCli(['search', 'a', '--limit', '2'], c.io)).toBe(0)
    const lines = c.stdout().trim().split('\n')
    expect(lines[0]).toMatch(/^SYMBOL\s+NAME\s+EXCHANGE\s+TYPE$/)
    expect(lines).toHaveLength(3)
  })

  it('exits 1 with a plain message when the provider fails, still printing directory matches', async () => {
    await yahoo.stop()
    const c = captureIo(env())
    expect(await runCli(['search', 'nvda', '--json'], c.io)).toBe(1)
    expect(JSON.parse(c.stdout())).toEqual([{ symbol: 'NVDA', name: 'NVIDIA Corporation', exchange: 'NASDAQ', type: 'EQUITY' }])
    expect(c.stderr()).toMatch(/Yahoo Finance/)
    await yahoo.start()
  })

  it('reads listings from the app’s saved directory', async () => {
    const file = { schemaVersion: 1, sources: { coinbase: { fetchedAt: 1, rows: [['ZORA-USD', 'Zora', 'Coinbase', 'CRYPTOCURRENCY']] } } }
    writeFileSync(join(dataDir, 'symbol-directory.json'), JSON.stringify(file))
    const c = captureIo(env())
    expect(await runCli(['search', 'zora', '--json', '--provider', 'simulated'], c.io)).toBe(0)
    expect(JSON.parse(c.stdout())).toEqual([{ symbol: 'ZORA-USD', name: 'Zora', exchange: 'Coinbase', type: 'CRYPTOCURRENCY' }])
  })

  it.each([
    [['search'], 'search needs some text'],
    [['search', 'apple', '--limit', '0'], '--limit must be a whole number from 1 to 50'],
    [['search', 'apple', '--limit', 'lots'], '--limit must be a whole number'],
    [['search', 'apple', '--provider', 'nasdaq'], 'Unknown provider "nasdaq"'],
    [['search', 'apple', '--timeout', '3'], "Unknown option '--timeout'"]
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const c = captureIo(env())
    expect(await runCli(argv, c.io)).toBe(2)
    expect(c.stderr()).toContain(message)
    expect(c.stdout()).toBe('')
  })

  it('has its own help', async () => {
    const c = captureIo(env())
    expect(await runCli(['help', 'search'], c.io)).toBe(0)
    expect(c.stdout()).toContain('--limit N')
  })
})

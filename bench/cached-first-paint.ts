import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createSimulatedProvider } from '../src/engine/providers/simulated'
import { confBackend, openHostStores } from '../src/host/state'
import { startWebShell } from '../src/web/web-shell'
import { launchChromium } from './browser'
import { benchSymbols, percentile, round, type Metric } from './metric'

/**
 * Runs in the page from navigation start: notes when every rendered row shows a cached price.
 * Source text, because the TypeScript loader's helpers do not exist in the page.
 */
const watchForPrices = (expectedRows: number): string => `(() => {
  const expectedRows = ${expectedRows}
  const w = window
  const check = () => {
    const table = document.querySelector('[role="table"]')
    const rows = document.querySelectorAll('[role="table"] [data-symbol]')
    const total = Number(table?.getAttribute('aria-rowcount') ?? 0) - 1
    const priced = [...rows].every((r) => /[0-9]/.test(r.querySelector('.price')?.textContent ?? ''))
    if (total === expectedRows && rows.length > 0 && priced) {
      // Measured in the frame after the DOM holds the prices, i.e. once they are painted.
      w.__firstPaint = performance.now()
      return
    }
    requestAnimationFrame(check)
  }
  requestAnimationFrame(check)
})()`

/**
 * Offline start with 200 cached quotes: navigation start → cached prices on screen. The provider
 * points at a closed local port, so only the offline cache can supply prices.
 */
export async function measureCachedFirstPaint(options: { symbols?: number; runs?: number } = {}): Promise<Metric[]> {
  const count = options.symbols ?? 200
  const symbols = benchSymbols(count)
  const dataDir = mkdtempSync(join(tmpdir(), 'tickerdesk-bench-cache-'))
  const stores = openHostStores(confBackend(dataDir), { now: Date.now, onNotice: () => {} })
  stores.appState.saveWatchlists({ lists: [{ id: 'cached', name: 'Cached', symbols }], activeId: 'cached' })
  const provider = createSimulatedProvider({ seed: 3, deps: { now: () => Date.now() - 3_600_000, log: () => {} } })
  const { quotes } = await provider.fetchQuotes(symbols)
  for (const quote of quotes) stores.quoteCache.set(quote)
  stores.dispose()

  const shell = await startWebShell({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    rendererDir: resolve('out/renderer'),
    enginePath: resolve('out/main/engine.js'),
    env: { ...process.env, TICKERDESK_YAHOO_URL: 'http://127.0.0.1:9' }
  })
  const browser = await launchChromium()
  const times: number[] = []
  try {
    for (let i = 0; i < (options.runs ?? 5); i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
      const page = await context.newPage()
      await page.addInitScript(watchForPrices(count))
      await page.goto(shell.url)
      await page.waitForFunction(() => (globalThis as unknown as { __firstPaint?: number }).__firstPaint !== undefined, undefined, { timeout: 15_000 })
      times.push((await page.evaluate('window.__firstPaint')) as number)
      await context.close()
    }
  } finally {
    await browser.close()
    await shell.close()
  }
  return [{ metric: 'cached_first_paint_ms', value: round(percentile(times, 50), 1), unit: 'ms' }]
}

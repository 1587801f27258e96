import { expect, test, type Page } from '@playwright/test'
import { startFakeCoinbase, type FakeCoinbase } from '../fakes/coinbase-server'
import { freshDataDir, startWebShell, type RunningShell } from './support/web-shell'

let coinbase: FakeCoinbase
let shell: RunningShell | undefined

test.beforeEach(async () => {
  coinbase = await startFakeCoinbase({ unlimited: true })
})

test.afterEach(async ({ page: _page }, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus && shell) await testInfo.attach('web shell output', { body: shell.output() })
  await shell?.stop()
  shell = undefined
  await coinbase.close()
})

async function openOnCoinbase(page: Page): Promise<void> {
  shell = await startWebShell({
    dataDir: freshDataDir(),
    env: { TICKERDESK_COINBASE_URL: coinbase.url, TICKERDESK_COINBASE_WS_URL: coinbase.wsUrl },
    args: ['--provider', 'coinbase', '--refresh-interval', '2']
  })
  await page.goto(shell.url)
}

const row = (page: Page, symbol: string) => page.locator(`[data-symbol="${symbol}"]`)

/** Waits until the engine's websocket has subscribed the product on the fake feed. */
async function subscribed(product: string): Promise<void> {
  await expect.poll(() => coinbase.subscriptions().some((s) => s.includes(product)), { timeout: 15_000 }).toBe(true)
}

test('searches for a crypto pair, adds it and follows its streamed ticks', async ({ page }) => {
  await openOnCoinbase(page)
  const input = page.getByRole('textbox', { name: /symbol/i })
  await input.fill('eth')
  const option = page.getByRole('option').filter({ hasText: 'ETH-USD' }).first()
  await expect(option).toBeVisible({ timeout: 10_000 })
  await option.click()

  await expect(row(page, 'ETH-USD')).toContainText('3,921.45', { timeout: 15_000 })
  await subscribed('ETH-USD')
  // REST still says 3,921.45: only the websocket carries this price.
  await expect.poll(() => coinbase.pushTicker('ETH-USD', { price: '3950.12' })).toBeGreaterThan(0)
  await expect(row(page, 'ETH-USD')).toContainText('3,950.12', { timeout: 5_000 })
})

test('falls back to polling while the stream is down, then streams again', async ({ page }) => {
  await openOnCoinbase(page)
  await expect(row(page, 'BTC-USD')).toContainText('99,728.83', { timeout: 15_000 })
  await subscribed('BTC-USD')

  coinbase.refuseStreams(true)
  await expect(page.getByText(/stream down, polling/i).first()).toBeVisible({ timeout: 15_000 })
  coinbase.setProduct('BTC-USD', { price: '98000.00' })
  await expect(row(page, 'BTC-USD')).toContainText('98,000.00', { timeout: 15_000 })

  coinbase.refuseStreams(false)
  await subscribed('BTC-USD')
  await expect(page.getByText(/stream down, polling/i).first()).toBeHidden({ timeout: 15_000 })
  await expect.poll(() => coinbase.pushTicker('BTC-USD', { price: '98123.45' })).toBeGreaterThan(0)
  await expect(row(page, 'BTC-USD')).toContainText('98,123.45', { timeout: 5_000 })
})

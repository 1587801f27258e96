import { expect, test, type Page } from '@playwright/test'
import { startFakeYahoo, type FakeYahoo } from '../fakes/yahoo-server'
import { freshDataDir, startWebShell, type RunningShell } from './support/web-shell'

let yahoo: FakeYahoo
let shell: RunningShell | undefined

test.beforeEach(async () => {
  yahoo = await startFakeYahoo()
})

test.afterEach(async ({ page: _page }, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus && shell) await testInfo.attach('web shell output', { body: shell.output() })
  await shell?.stop()
  shell = undefined
  await yahoo.close()
})

const dollars = (n: number): string => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n)

/** The first and last close the fake serves for a range, as the chart's label should spell them. */
async function served(range: string, interval: string): Promise<{ first: string; last: string }> {
  const body = (await (await fetch(`${yahoo.url}/v8/finance/chart/AAPL?range=${range}&interval=${interval}&includePrePost=false`)).json()) as {
    chart: { result: { indicators: { quote: { close: number[] }[] } }[] }
  }
  const closes = body.chart.result[0]!.indicators.quote[0]!.close
  return { first: dollars(closes[0]!), last: dollars(closes.at(-1)!) }
}

async function open(page: Page): Promise<void> {
  shell = await startWebShell({ dataDir: freshDataDir(), env: { TICKERDESK_YAHOO_URL: yahoo.url }, args: ['--refresh-interval', '1'] })
  await page.goto(shell.url)
  await expect(page.locator('[data-symbol="AAPL"]')).toContainText('244.60', { timeout: 15_000 })
}

test('opens a symbol\'s details, charts a month of prices and switches to a year', async ({ page }) => {
  await open(page)
  await page.locator('[data-symbol="AAPL"]').focus()
  await page.keyboard.press('Enter')

  const details = page.getByRole('region', { name: 'AAPL' })
  await expect(details).toBeVisible()
  await expect(details).toContainText('Apple Inc.')
  await expect(details).toContainText('Yahoo Finance')

  const month = await served('1mo', '1d')
  const chart = details.getByRole('img')
  await expect(chart).toHaveAttribute('aria-label', new RegExp(`^AAPL, 1 month: from ${escape(month.first)} to ${escape(month.last)}, [+-]\\d+\\.\\d%$`), { timeout: 15_000 })
  await expect(details.locator('canvas').first()).toBeVisible()
  expect(yahoo.requests.some((r) => r.path === '/v8/finance/chart/AAPL' && r.query.range === '1mo' && r.query.interval === '1d')).toBe(true)

  await details.getByRole('button', { name: '1 year' }).click()
  await expect(details.getByRole('button', { name: '1 year' })).toHaveAttribute('aria-pressed', 'true')
  const year = await served('1y', '1d')
  await expect(chart).toHaveAttribute('aria-label', new RegExp(`^AAPL, 1 year: from ${escape(year.first)} to ${escape(year.last)}, [+-]\\d+\\.\\d%$`), { timeout: 15_000 })

  await page.keyboard.press('Escape')
  await expect(details).toBeHidden()
  await expect(page.locator('[data-symbol="AAPL"]')).toBeFocused()
})

test('says in plain words when the provider refuses the history', async ({ page }) => {
  await open(page)
  yahoo.failWith(3, 404, JSON.stringify({ chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } }), { path: '/v8/' })
  await page.locator('[data-symbol="MSFT"] .sym').click()
  const details = page.getByRole('region', { name: 'MSFT' })
  await expect(details.getByRole('alert')).toContainText('Unknown symbol MSFT', { timeout: 15_000 })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

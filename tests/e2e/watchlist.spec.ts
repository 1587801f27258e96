import { expect, test, type Page } from '@playwright/test'
import { startFakeYahoo, type FakeYahoo } from '../fakes/yahoo-server'
import { freshDataDir, startWebShell, type RunningShell } from './support/web-shell'

let yahoo: FakeYahoo
let shell: RunningShell | undefined

test.beforeEach(async () => {
  yahoo = await startFakeYahoo()
})

test.afterEach(async () => {
  await shell?.stop()
  shell = undefined
  await yahoo.close()
})

function launch(dataDir: string): Promise<RunningShell> {
  return startWebShell({ dataDir, env: { TICKERDESK_YAHOO_URL: yahoo.url }, args: ['--refresh-interval', '1'] })
}

const table = (page: Page) => page.locator('[role="table"], [role="grid"]').first()
const row = (page: Page, symbol: string) =>
  table(page)
    .getByRole('row')
    .filter({ has: page.getByText(symbol, { exact: true }) })
const symbolInput = (page: Page) => page.getByRole('textbox', { name: /symbol/i })

async function addSymbol(page: Page, symbol: string): Promise<void> {
  await symbolInput(page).fill(symbol)
  await symbolInput(page).press('Enter')
}

test('adds a symbol and shows the provider price, then follows price changes', async ({ page }) => {
  yahoo.setQuote('NVDA', { price: 123.45, shortName: 'NVIDIA Corporation' })
  shell = await launch(freshDataDir())
  await page.goto(shell.url)

  await expect(table(page)).toBeVisible()
  await addSymbol(page, 'nvda')
  await expect(row(page, 'NVDA')).toContainText('123.45')
  await expect(row(page, 'NVDA')).toContainText('NVIDIA')

  yahoo.setQuote('NVDA', { price: 130.07 })
  await expect(row(page, 'NVDA')).toContainText('130.07', { timeout: 15_000 })
  // Other rows keep their own prices from the same batch feed.
  await expect(row(page, 'AAPL')).toContainText(/\d+\.\d{2}/)
})

test('rejects a malformed symbol and reports an unknown one on its row only', async ({ page }) => {
  shell = await launch(freshDataDir())
  await page.goto(shell.url)
  await expect(row(page, 'AAPL')).toContainText(/\d+\.\d{2}/)

  await addSymbol(page, '$$$')
  await expect(page.getByRole('alert').filter({ hasText: /not a valid ticker symbol/i })).toBeVisible()

  await addSymbol(page, 'ZZZZ')
  await expect(row(page, 'ZZZZ')).toContainText(/unknown symbol/i, { timeout: 15_000 })
  await expect(row(page, 'AAPL')).toContainText(/\d+\.\d{2}/)
})

test('shows an offline banner when the provider becomes unreachable, and recovers', async ({ page }) => {
  shell = await launch(freshDataDir())
  await page.goto(shell.url)
  await expect(row(page, 'AAPL')).toContainText(/\d+\.\d{2}/)

  await yahoo.stop()
  await expect(page.getByText(/offline since/i)).toBeVisible({ timeout: 20_000 })

  yahoo.setQuote('AAPL', { price: 201.99 })
  await yahoo.start()
  await expect(page.getByText(/offline since/i)).toBeHidden({ timeout: 30_000 })
  await expect(row(page, 'AAPL')).toContainText('201.99')
})

test('a restart while offline shows cached prices with their age', async ({ page }) => {
  const dataDir = freshDataDir()
  yahoo.setQuote('AAPL', { price: 187.42 })
  shell = await launch(dataDir)
  await page.goto(shell.url)
  await expect(row(page, 'AAPL')).toContainText('187.42')
  expect(await shell.stop()).toBe(0)

  await yahoo.stop()
  shell = await launch(dataDir)
  await page.goto(shell.url)
  await expect(row(page, 'AAPL')).toContainText('187.42')
  await expect(row(page, 'AAPL')).toContainText(/ago|as of/i)
  await expect(page.getByText(/offline since/i)).toBeVisible({ timeout: 20_000 })
  await page.screenshot({ path: 'docs/screenshot-offline.png' })
})

test('README screenshot: a live watchlist', async ({ page }) => {
  shell = await launch(freshDataDir())
  await page.goto(shell.url)
  for (const symbol of ['NVDA', 'TSLA', 'ETH-USD']) await addSymbol(page, symbol)
  await expect(row(page, 'ETH-USD')).toContainText(/\d+\.\d{2}/)
  await expect(row(page, 'AAPL')).toContainText(/\d+\.\d{2}/)
  await page.screenshot({ path: 'docs/screenshot.png' })
})

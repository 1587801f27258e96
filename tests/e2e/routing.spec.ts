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

const source = (page: Page, symbol: string) => page.locator(`[role="row"][data-symbol="${symbol}"] .c-source`)

test('pinning a watchlist, then one of its symbols, to another provider changes where each row comes from', async ({ page }) => {
  // No --provider: the saved settings (Yahoo Finance by default) decide, as for a user.
  shell = await startWebShell({ dataDir: freshDataDir(), env: { TICKERDESK_YAHOO_URL: yahoo.url }, args: ['--refresh-interval', '1'] })
  await page.goto(shell.url)
  await expect(source(page, 'AAPL')).toHaveText('Yahoo', { timeout: 15_000 })
  await expect(page.locator('[data-symbol="AAPL"] .price')).toContainText('244.60')
  await expect(source(page, 'MSFT')).toHaveText('Yahoo')

  // The whole list to the simulated market, from the tab bar.
  await page.getByRole('combobox', { name: 'Data source for this list' }).selectOption({ label: 'Simulated market' })
  await expect(source(page, 'AAPL')).toHaveText('Simulated', { timeout: 15_000 })
  await expect(source(page, 'MSFT')).toHaveText('Simulated', { timeout: 15_000 })
  await expect(page.getByRole('tab', { selected: true })).toContainText('data from Simulated market')

  // One symbol back to Yahoo Finance with a pin in Settings: the symbol pin beats the list pin.
  await page.getByRole('button', { name: 'Settings' }).click()
  const dialog = page.getByRole('dialog', { name: 'Settings' })
  await dialog.getByRole('textbox', { name: 'Symbol for a provider pin' }).fill('msft')
  await dialog.getByRole('combobox', { name: 'Provider for the pinned symbol' }).selectOption({ label: 'Yahoo Finance' })
  await dialog.getByRole('button', { name: 'Add pin' }).click()
  await expect(dialog.getByRole('list', { name: 'Symbol pins' })).toContainText('MSFT → Yahoo Finance')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()

  await expect(source(page, 'MSFT')).toHaveText('Yahoo', { timeout: 15_000 })
  await expect(page.locator('[data-symbol="MSFT"] .price')).toContainText('408.43')
  await expect(source(page, 'AAPL')).toHaveText('Simulated')

  // Back to Automatic: the list follows the usual providers again.
  await page.getByRole('combobox', { name: 'Data source for this list' }).selectOption({ label: 'Automatic' })
  await expect(source(page, 'AAPL')).toHaveText('Yahoo', { timeout: 15_000 })
})

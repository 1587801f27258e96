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

async function open(page: Page): Promise<void> {
  shell = await startWebShell({ dataDir: freshDataDir(), env: { TICKERDESK_YAHOO_URL: yahoo.url }, args: ['--refresh-interval', '1'] })
  await page.goto(shell.url)
  await expect(page.locator('[data-symbol="AAPL"]')).toContainText('244.60')
}

/** Creates "AAPL above <price>" through the row's bell button and the editor dialog. */
async function createAboveAlert(page: Page, price: string, options: { every?: boolean; note?: string } = {}): Promise<void> {
  await page.getByRole('button', { name: 'New alert for AAPL' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('When').selectOption({ label: 'Price above' })
  await dialog.getByLabel(/^Price/).fill(price)
  if (options.every) {
    await dialog.getByLabel('Trigger').selectOption({ label: 'Every time' })
    await dialog.getByLabel('Cooldown (minutes)').fill('1')
  }
  if (options.note) await dialog.getByLabel('Note').fill(options.note)
  await dialog.getByRole('button', { name: 'Create alert' }).click()
  await expect(dialog).toBeHidden()
}

const inboxButton = (page: Page) => page.getByRole('button', { name: /Alerts inbox/ })

test('a rule created in the UI fires a toast and an inbox entry when the price crosses it', async ({ page }) => {
  await open(page)
  await createAboveAlert(page, '250', { note: 'Take some profit' })
  await expect(inboxButton(page)).toHaveAccessibleName('Alerts inbox, 0 unread')

  yahoo.setQuote('AAPL', { price: 251.2 })
  await expect(page.getByText(/AAPL rose above 250\.00/).first()).toBeVisible({ timeout: 15_000 })
  await expect(inboxButton(page)).toHaveAccessibleName('Alerts inbox, 1 unread')

  await inboxButton(page).click()
  const inbox = page.locator('section.alert-inbox')
  await expect(inbox).toContainText('AAPL rose above 250.00')
  await expect(inbox).toContainText('Take some profit')
})

test('a price hovering at the line fires exactly once', async ({ page }) => {
  await open(page)
  await createAboveAlert(page, '250', { every: true })
  for (const price of [250.1, 249.96, 250.04, 249.98, 250.2, 250.01]) {
    yahoo.setQuote('AAPL', { price })
    await expect(page.locator('[data-symbol="AAPL"]')).toContainText(price.toFixed(2), { timeout: 10_000 })
  }
  await page.waitForTimeout(1500)
  await expect(inboxButton(page)).toHaveAccessibleName('Alerts inbox, 1 unread')
})

test('a crossing while offline is caught up once, labelled "while you were away"', async ({ page }) => {
  await open(page)
  await createAboveAlert(page, '250')

  await yahoo.stop()
  await expect(page.getByText(/offline since/i)).toBeVisible({ timeout: 20_000 })
  // Meanwhile the price went above the line and came back: only the day high shows it.
  yahoo.setQuote('AAPL', { price: 246.5, dayHigh: 252.3 })
  await yahoo.start()

  await expect(page.getByText(/offline since/i)).toBeHidden({ timeout: 30_000 })
  await expect(page.getByText(/While you were away/i).first()).toBeVisible({ timeout: 15_000 })
  await expect(inboxButton(page)).toHaveAccessibleName('Alerts inbox, 1 unread')
  await page.screenshot({ path: 'docs/screenshot-alerts.png' })
})

import { expect, test } from '@playwright/test'
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../fakes/alphavantage-server'
import { freshDataDir, startWebShell, type RunningShell } from './support/web-shell'

let av: FakeAlphaVantage
let shell: RunningShell | undefined

test.beforeEach(async () => {
  av = await startFakeAlphaVantage()
})

test.afterEach(async ({ page: _page }, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus && shell) await testInfo.attach('web shell output', { body: shell.output() })
  await shell?.stop()
  shell = undefined
  await av.close()
})

test('the Providers panel explains a spent daily limit in plain words', async ({ page }) => {
  shell = await startWebShell({
    dataDir: freshDataDir(),
    env: { TICKERDESK_ALPHAVANTAGE_URL: av.url, TICKERDESK_ALPHAVANTAGE_KEY: 'e2e-key' },
    args: ['--provider', 'alphavantage', '--refresh-interval', '1']
  })
  await page.goto(shell.url)
  // The first request of the day goes out at once.
  await expect.poll(() => av.usedToday('e2e-key'), { timeout: 15_000 }).toBeGreaterThan(0)

  av.exhaustDaily()
  // Under a 25-a-day budget the next planned request is far off; a refresh asks at once (once the
  // one-a-second burst rule allows it, so it may take a second try).
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click()
    await expect.poll(() => av.overQuota.daily, { timeout: 3_000 }).toBeGreaterThan(0)
  }).toPass({ timeout: 20_000 })

  await page.getByRole('button', { name: 'Providers' }).click()
  const panel = page.getByRole('region', { name: 'Providers' })
  await expect(panel).toBeVisible()
  const card = panel.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Alpha Vantage' }) })
  await expect(card).toContainText(/daily limit/i, { timeout: 10_000 })
  await expect(card).toContainText('Key: from environment')
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('Alpha Vantage: daily limit reached')
})

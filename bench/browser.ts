import { chromium, type Browser } from '@playwright/test'

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.TICKERDESK_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
}

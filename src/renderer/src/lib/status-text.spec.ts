import { describe, expect, it } from 'vitest'
import { engineLabel, offlineMessage, rateLimitText } from './status-text'
import { formatStamp } from './time'

const now = Date.now()
const base = { offline: false, bridgeDown: false, everConnected: true, offlineSince: null, problem: null, now }

describe('offlineMessage', () => {
  it('is null while everything is connected', () => {
    expect(offlineMessage(base)).toBeNull()
  })

  it('says since when the provider has been offline', () => {
    const since = now - 90_000
    expect(offlineMessage({ ...base, offline: true, offlineSince: since })).toEqual({
      text: `Offline since ${formatStamp(since, now)} — showing last-known prices`,
      detail: null
    })
  })

  it('adds the reconnect state (or a hint) when the bridge is down', () => {
    const down = { ...base, offline: true, bridgeDown: true, offlineSince: now }
    expect(offlineMessage(down)?.detail).toBe('Reconnecting to TickerDesk…')
    expect(offlineMessage({ ...down, problem: 'Still trying' })?.detail).toBe('Still trying')
  })

  it('says connecting (or why it cannot) before the first connection', () => {
    const first = { ...base, bridgeDown: true, offline: true, everConnected: false }
    expect(offlineMessage(first)?.text).toBe('Connecting to TickerDesk…')
    expect(offlineMessage({ ...first, problem: 'No access key' })?.text).toBe('No access key')
  })
})

describe('status labels', () => {
  it('words engine states and rate limits plainly', () => {
    expect(engineLabel('reconnecting')).toBe('Reconnecting…')
    expect(rateLimitText(null, now)).toBeNull()
    expect(rateLimitText(now - 1, now)).toBeNull()
    expect(rateLimitText(now + 60_000, now)).toMatch(/^Rate-limited until \d\d:\d\d$/)
  })
})

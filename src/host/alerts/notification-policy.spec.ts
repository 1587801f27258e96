import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_NOTIFICATION_SETTINGS, type AppNotification, type NotificationSettings } from '../../shared/ipc/contract'
import { realTimers } from '../state/timers'
import { isQuietTime, NotificationPolicy, offsetClockMinutes, type PolicyFiring } from './notification-policy'

// 2024-05-01 12:00 UTC.
const NOON_UTC = Date.UTC(2024, 4, 1, 12, 0, 0)
const hm = (h: number, m = 0) => h * 60 + m

const fire = (symbol: string): PolicyFiring => ({ symbol, title: `${symbol} above 200.00`, body: `${symbol} rose above 200.00 (now 201.35)` })

describe('isQuietTime', () => {
  const quiet = (start: string, end: string, enabled = true) => ({ enabled, start, end })

  it('handles a window within one day', () => {
    expect(isQuietTime(quiet('12:00', '14:00'), hm(11, 59))).toBe(false)
    expect(isQuietTime(quiet('12:00', '14:00'), hm(12))).toBe(true)
    expect(isQuietTime(quiet('12:00', '14:00'), hm(13, 59))).toBe(true)
    expect(isQuietTime(quiet('12:00', '14:00'), hm(14))).toBe(false)
  })

  it('handles a window across midnight', () => {
    const night = quiet('22:00', '07:00')
    expect(isQuietTime(night, hm(21, 59))).toBe(false)
    expect(isQuietTime(night, hm(22))).toBe(true)
    expect(isQuietTime(night, hm(23, 59))).toBe(true)
    expect(isQuietTime(night, hm(0))).toBe(true)
    expect(isQuietTime(night, hm(6, 59))).toBe(true)
    expect(isQuietTime(night, hm(7))).toBe(false)
    expect(isQuietTime(night, hm(12))).toBe(false)
  })

  it('is never quiet when switched off or when start equals end', () => {
    expect(isQuietTime(quiet('22:00', '07:00', false), hm(23))).toBe(false)
    expect(isQuietTime(quiet('09:00', '09:00'), hm(9))).toBe(false)
  })

  it('reads local time through an injected offset', () => {
    expect(offsetClockMinutes(0)(NOON_UTC)).toBe(hm(12))
    expect(offsetClockMinutes(120)(NOON_UTC)).toBe(hm(14))
    expect(offsetClockMinutes(-13 * 60)(NOON_UTC)).toBe(hm(23))
  })
})

describe('NotificationPolicy', () => {
  let settings: NotificationSettings
  let delivered: AppNotification[]

  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(NOON_UTC)
    settings = structuredClone(DEFAULT_NOTIFICATION_SETTINGS)
    delivered = []
  })
  afterEach(() => vi.useRealTimers())

  const policy = (offsetMinutes = 0) =>
    new NotificationPolicy({
      now: () => Date.now(),
      timers: realTimers,
      settings: () => settings,
      deliver: (n) => delivered.push(n),
      localMinutes: offsetClockMinutes(offsetMinutes)
    })

  it('gives each firing its own notification, with the symbol and the sound setting', () => {
    const p = policy()
    p.notify(fire('AAPL'))
    settings.sound = true
    p.notify(fire('MSFT'))
    expect(delivered).toEqual([
      { title: 'AAPL above 200.00', body: 'AAPL rose above 200.00 (now 201.35)', symbol: 'AAPL', sound: false },
      { title: 'MSFT above 200.00', body: 'MSFT rose above 200.00 (now 201.35)', symbol: 'MSFT', sound: true }
    ])
  })

  it('shows nothing when notifications are off', async () => {
    settings.enabled = false
    const p = policy()
    for (const s of ['A', 'B', 'C', 'D', 'E']) p.notify(fire(s))
    await vi.advanceTimersByTimeAsync(120_000)
    expect(delivered).toEqual([])
  })

  it('shows nothing in quiet hours across midnight, and resumes after them', () => {
    settings.quietHours = { enabled: true, start: '22:00', end: '07:00' }
    // 12:00 UTC is 23:00 at UTC+11 and 05:00 at UTC-7: both quiet.
    policy(11 * 60).notify(fire('AAPL'))
    policy(-7 * 60).notify(fire('AAPL'))
    expect(delivered).toEqual([])
    policy(-4 * 60).notify(fire('AAPL'))
    expect(delivered).toHaveLength(1)
  })

  it('turns a burst of more than three firings within a minute into one summary', async () => {
    const p = policy()
    for (const s of ['AAPL', 'MSFT', 'NVDA']) {
      p.notify(fire(s))
      vi.advanceTimersByTime(1_000)
    }
    expect(delivered.map((n) => n.symbol)).toEqual(['AAPL', 'MSFT', 'NVDA'])
    for (const s of ['TSLA', 'AMD', 'META', 'AMZN', 'GOOG', 'TSLA']) p.notify(fire(s))
    expect(delivered).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(delivered).toHaveLength(4)
    expect(delivered[3]).toEqual({
      title: '6 alerts: TSLA, AMD, META, AMZN, …',
      body: 'TSLA above 200.00\nAMD above 200.00\nMETA above 200.00\nand 3 more in the alert inbox',
      symbol: null,
      sound: false
    })
  })

  it('sends at most one summary a minute while a burst lasts, then singles again', async () => {
    const p = policy()
    for (const s of ['A', 'B', 'C', 'D', 'E']) p.notify(fire(s))
    await vi.advanceTimersByTimeAsync(5_000)
    expect(delivered.map((n) => n.title)).toEqual(['A above 200.00', 'B above 200.00', 'C above 200.00', '2 alerts: D, E'])
    // Still bursting: the next summary waits for the minute to pass.
    p.notify(fire('F'))
    p.notify(fire('G'))
    await vi.advanceTimersByTimeAsync(30_000)
    expect(delivered).toHaveLength(4)
    await vi.advanceTimersByTimeAsync(30_000)
    expect(delivered.at(-1)!.title).toBe('2 alerts: F, G')
    // A quiet minute later, single notifications again.
    await vi.advanceTimersByTimeAsync(61_000)
    p.notify(fire('H'))
    expect(delivered.at(-1)).toMatchObject({ title: 'H above 200.00', symbol: 'H' })
  })

  it('shows a lone held firing as a single and drops a summary if notifications were switched off', async () => {
    const p = policy()
    for (const s of ['A', 'B', 'C', 'D']) p.notify(fire(s))
    await vi.advanceTimersByTimeAsync(5_000)
    expect(delivered.at(-1)).toMatchObject({ title: 'D above 200.00', symbol: 'D' })

    const q = policy()
    delivered = []
    await vi.advanceTimersByTimeAsync(120_000)
    for (const s of ['A', 'B', 'C', 'D', 'E']) q.notify(fire(s))
    settings.enabled = false
    await vi.advanceTimersByTimeAsync(5_000)
    expect(delivered).toHaveLength(3)
  })

  it('drops a pending summary on dispose', async () => {
    const p = policy()
    for (const s of ['A', 'B', 'C', 'D', 'E']) p.notify(fire(s))
    p.dispose()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(delivered).toHaveLength(3)
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { InterestSender, type Interest } from './interest-sender'

let sent: Interest[]
let sender: InterestSender
let fail = false

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 })
  sent = []
  fail = false
  sender = new InterestSender({
    send: (interest) => {
      sent.push(interest)
      return fail ? Promise.reject(new Error('offline')) : Promise.resolve()
    },
    now: () => Date.now(),
    setTimer: (cb, ms) => setTimeout(cb, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    minIntervalMs: 250
  })
})
afterEach(() => {
  sender.dispose()
  vi.useRealTimers()
})

const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `S${from + i}`)
const all = rows(0, 500)

describe('InterestSender', () => {
  it('sends the first interest at once and nothing when it has not changed', () => {
    sender.update({ symbols: all, visible: rows(0, 20) })
    sender.update({ symbols: all, visible: rows(0, 20) })
    expect(sent).toHaveLength(1)
    expect(sent[0]!.visible).toEqual(rows(0, 20))
  })

  it('sends at most four times a second while scrolling, ending with the rows last on screen', async () => {
    sender.update({ symbols: all, visible: rows(0, 20) })
    // 60 scroll steps over one second, one row each.
    for (let i = 1; i <= 60; i++) {
      await vi.advanceTimersByTimeAsync(1000 / 60)
      sender.update({ symbols: all, visible: rows(i, i + 20) })
    }
    await vi.advanceTimersByTimeAsync(500)
    expect(sent.length).toBeGreaterThanOrEqual(4)
    expect(sent.length).toBeLessThanOrEqual(6)
    expect(sent.at(-1)!.visible).toEqual(rows(60, 80))
    // Every send carries a different set: no duplicates.
    expect(new Set(sent.map((s) => s.visible!.join())).size).toBe(sent.length)
  })

  it('sends a change of symbols at once, even inside the interval', () => {
    sender.update({ symbols: ['A', 'B'], visible: ['A', 'B'] })
    sender.update({ symbols: ['A', 'B', 'C'], visible: ['A', 'B', 'C'] })
    expect(sent.map((s) => s.symbols)).toEqual([['A', 'B'], ['A', 'B', 'C']])
  })

  it('sends the table\'s first measurement at once, then throttles scrolling again', () => {
    sender.update({ symbols: all, visible: null })
    sender.update({ symbols: all, visible: rows(0, 20) })
    sender.update({ symbols: all, visible: rows(1, 21) })
    expect(sent.map((s) => s.visible)).toEqual([null, rows(0, 20)])
  })

  it('drops a pending send when the rows scroll back to the ones already sent', async () => {
    sender.update({ symbols: all, visible: rows(0, 20) })
    sender.update({ symbols: all, visible: rows(5, 25) })
    sender.update({ symbols: all, visible: rows(0, 20) })
    await vi.advanceTimersByTimeAsync(1000)
    expect(sent).toHaveLength(1)
  })

  it('sends again after a failed send or a reset', async () => {
    fail = true
    sender.update({ symbols: ['A'], visible: null })
    await vi.advanceTimersByTimeAsync(0)
    fail = false
    sender.update({ symbols: ['A'], visible: null })
    expect(sent).toHaveLength(2)
    sender.reset()
    sender.resend()
    expect(sent).toHaveLength(3)
    expect(sent[2]).toEqual({ symbols: ['A'], visible: null })
  })
})

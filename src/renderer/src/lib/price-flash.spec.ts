import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FLASH_MS, PriceFlash, type FlashClass } from './price-flash'

let seen: FlashClass[]
let flash: PriceFlash

beforeEach(() => {
  vi.useFakeTimers()
  seen = []
  flash = new PriceFlash({
    onChange: (next) => seen.push(next),
    now: () => Date.now(),
    setTimer: (callback, ms) => setTimeout(callback, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
  })
})

afterEach(() => {
  flash.dispose()
  vi.useRealTimers()
})

describe('PriceFlash', () => {
  it('highlights a rise, then clears once the flash time has passed', () => {
    flash.update(101, 100)
    expect(flash.flash).toBe('flash-up')
    vi.advanceTimersByTime(FLASH_MS - 1)
    expect(flash.flash).toBe('flash-up')
    vi.advanceTimersByTime(1)
    expect(flash.flash).toBe('')
    expect(seen).toEqual(['flash-up', ''])
  })

  it('switches colour at once when the price turns', () => {
    flash.update(101, 100)
    vi.advanceTimersByTime(100)
    flash.update(99, 101)
    expect(flash.flash).toBe('flash-down')
    vi.advanceTimersByTime(FLASH_MS - 1)
    expect(flash.flash).toBe('flash-down')
    vi.advanceTimersByTime(1)
    expect(seen).toEqual(['flash-up', 'flash-down', ''])
  })

  it('keeps one highlight on while the price keeps moving the same way, without restyling', () => {
    flash.update(101, 100)
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(100)
      flash.update(102 + i, 101 + i)
    }
    expect(seen).toEqual(['flash-up'])
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(FLASH_MS)
    expect(seen).toEqual(['flash-up', ''])
  })

  it('ignores the first price and unchanged prices', () => {
    flash.update(100, undefined)
    flash.update(undefined, 100)
    flash.update(100, 100)
    expect(seen).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('flashes again after the previous flash ended', () => {
    flash.update(101, 100)
    vi.advanceTimersByTime(FLASH_MS)
    flash.update(102, 101)
    expect(seen).toEqual(['flash-up', '', 'flash-up'])
  })

  it('stops its timer when disposed', () => {
    flash.update(101, 100)
    flash.dispose()
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(FLASH_MS)
    expect(seen).toEqual(['flash-up'])
  })
})

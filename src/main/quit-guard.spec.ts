import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createQuitGuard } from './quit-guard'

const quitEvent = () => ({ preventDefault: vi.fn() })

describe('createQuitGuard', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('holds the first quit until dispose finishes, then quits for real', async () => {
    let finish!: () => void
    const dispose = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)))
    const quit = vi.fn()
    const guard = createQuitGuard({ dispose, quit })

    const first = quitEvent()
    guard(first)
    expect(first.preventDefault).toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(0)
    expect(dispose).toHaveBeenCalledTimes(1)
    expect(quit).not.toHaveBeenCalled()

    finish()
    await vi.advanceTimersByTimeAsync(0)
    expect(quit).toHaveBeenCalledTimes(1)

    const again = quitEvent()
    guard(again)
    expect(again.preventDefault).not.toHaveBeenCalled()
    expect(dispose).toHaveBeenCalledTimes(1)
  })

  it('runs dispose once however many quits arrive meanwhile', async () => {
    const dispose = vi.fn(() => new Promise<void>(() => {}))
    const guard = createQuitGuard({ dispose, quit: vi.fn(), timeoutMs: 1_000 })
    const events = [quitEvent(), quitEvent(), quitEvent()]
    for (const event of events) guard(event)
    await vi.advanceTimersByTimeAsync(0)
    expect(dispose).toHaveBeenCalledTimes(1)
    for (const event of events) expect(event.preventDefault).toHaveBeenCalled()
  })

  it('quits anyway when dispose hangs past the timeout', async () => {
    const quit = vi.fn()
    const log = vi.fn()
    const guard = createQuitGuard({ dispose: () => new Promise(() => {}), quit, log, timeoutMs: 1_000 })
    guard(quitEvent())
    await vi.advanceTimersByTimeAsync(999)
    expect(quit).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(quit).toHaveBeenCalledTimes(1)
    expect(log).toHaveBeenCalledWith('warn', expect.stringContaining('longer than 1000 ms'))
  })

  it('quits and logs when dispose fails', async () => {
    const quit = vi.fn()
    const log = vi.fn()
    const guard = createQuitGuard({ dispose: () => Promise.reject(new Error('disk full')), quit, log })
    guard(quitEvent())
    await vi.advanceTimersByTimeAsync(0)
    expect(quit).toHaveBeenCalledTimes(1)
    expect(log).toHaveBeenCalledWith('error', expect.stringContaining('disk full'))
  })

  it('survives a dispose that throws synchronously', async () => {
    const quit = vi.fn()
    const guard = createQuitGuard({
      dispose: () => {
        throw new Error('sync boom')
      },
      quit
    })
    expect(() => guard(quitEvent())).not.toThrow()
    await vi.advanceTimersByTimeAsync(0)
    expect(quit).toHaveBeenCalledTimes(1)
  })
})

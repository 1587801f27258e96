import { describe, expect, it, vi } from 'vitest'
import { ProviderError } from './provider'
import { asProviderError, guarded } from './provider-failure'

describe('provider failures', () => {
  it('passes a ProviderError through and turns anything else into unreadable data, logged', () => {
    const log = vi.fn()
    const known = new ProviderError('rate-limit', 'Example: rate limit reached.')
    expect(asProviderError(known, 'Example', log)).toBe(known)
    expect(log).not.toHaveBeenCalled()

    const wrapped = asProviderError(new TypeError('x is undefined'), 'Example', log)
    expect(wrapped).toBeInstanceOf(ProviderError)
    expect(wrapped.kind).toBe('bad-payload')
    expect(wrapped.message).toBe('Example sent data TickerDesk could not read.')
    expect(log).toHaveBeenCalledWith('error', expect.stringMatching(/^Example: unexpected failure: TypeError: x is undefined/))
  })

  it('guards async work: results pass, foreign throws become ProviderErrors', async () => {
    const log = vi.fn()
    await expect(guarded('Example', log, async () => 42)).resolves.toBe(42)
    await expect(
      guarded('Example', log, async () => {
        throw 'odd'
      })
    ).rejects.toMatchObject({ kind: 'bad-payload', message: 'Example sent data TickerDesk could not read.' })
    expect(log).toHaveBeenCalledWith('error', 'Example: unexpected failure: odd')
  })
})

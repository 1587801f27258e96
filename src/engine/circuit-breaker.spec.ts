import { describe, expect, it } from 'vitest'
import { CircuitBreaker } from './circuit-breaker'

function make(options: { threshold?: number; coolDownMs?: number; maxCoolDownMs?: number } = {}) {
  const clock = { now: 1_000 }
  const breaker = new CircuitBreaker({ now: () => clock.now, threshold: 3, coolDownMs: 10_000, maxCoolDownMs: 35_000, ...options })
  return { breaker, clock }
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures, not before', () => {
    const { breaker } = make()
    expect(breaker.recordFailure('server')).toBe(false)
    expect(breaker.recordFailure('auth')).toBe(false)
    expect(breaker.state).toBe('closed')
    expect(breaker.recordFailure('network')).toBe(true)
    expect(breaker.state).toBe('open')
    expect(breaker.consecutiveFailures).toBe(3)
    expect(breaker.retryAt).toBe(11_000)
  })

  it('counts auth, bad-payload, server and network failures but not rate limits', () => {
    const { breaker } = make()
    breaker.recordFailure('bad-payload')
    for (let i = 0; i < 10; i++) expect(breaker.recordFailure('rate-limit')).toBe(false)
    expect(breaker.state).toBe('closed')
    expect(breaker.consecutiveFailures).toBe(1)
  })

  it('starts counting again after a success', () => {
    const { breaker } = make()
    breaker.recordFailure('server')
    breaker.recordFailure('server')
    expect(breaker.recordSuccess()).toBe(false)
    breaker.recordFailure('server')
    breaker.recordFailure('server')
    expect(breaker.state).toBe('closed')
  })

  it('goes half-open after the cool-down; a successful probe closes it', () => {
    const { breaker, clock } = make()
    for (let i = 0; i < 3; i++) breaker.recordFailure('server')
    clock.now += 9_999
    expect(breaker.state).toBe('open')
    clock.now += 1
    expect(breaker.state).toBe('half-open')
    expect(breaker.retryAt).toBeNull()
    expect(breaker.recordSuccess()).toBe(true)
    expect(breaker.state).toBe('closed')
    expect(breaker.consecutiveFailures).toBe(0)
  })

  it('re-opens on a failed probe with a cool-down that doubles up to the maximum', () => {
    const { breaker, clock } = make()
    for (let i = 0; i < 3; i++) breaker.recordFailure('network')
    clock.now += 10_000
    expect(breaker.recordFailure('network')).toBe(true)
    expect(breaker.state).toBe('open')
    expect(breaker.retryAt).toBe(clock.now + 20_000)
    clock.now += 20_000
    expect(breaker.state).toBe('half-open')
    breaker.recordFailure('auth')
    expect(breaker.retryAt).toBe(clock.now + 35_000)

    // A later success resets the cool-down for the next outage.
    clock.now += 35_000
    breaker.recordSuccess()
    for (let i = 0; i < 3; i++) breaker.recordFailure('server')
    expect(breaker.retryAt).toBe(clock.now + 10_000)
  })

  it('a rate limit during a probe decides nothing', () => {
    const { breaker, clock } = make()
    for (let i = 0; i < 3; i++) breaker.recordFailure('server')
    clock.now += 10_000
    expect(breaker.recordFailure('rate-limit')).toBe(false)
    expect(breaker.state).toBe('half-open')
  })

  it('reset closes it and forgets the streak', () => {
    const { breaker } = make()
    for (let i = 0; i < 3; i++) breaker.recordFailure('server')
    breaker.reset()
    expect(breaker.state).toBe('closed')
    expect(breaker.consecutiveFailures).toBe(0)
  })
})

import { describe, expect, it, vi } from 'vitest'
import { powerMonitor } from 'electron'
import { forwardPowerEvents } from './power'

describe('forwardPowerEvents', () => {
  it('forwards suspend and resume in order, until stopped', () => {
    const send = vi.fn()
    const stop = forwardPowerEvents(powerMonitor, send)
    powerMonitor.emit('suspend')
    powerMonitor.emit('resume')
    expect(send.mock.calls).toEqual([['suspend'], ['resume']])
    stop()
    powerMonitor.emit('suspend')
    expect(send).toHaveBeenCalledTimes(2)
  })
})

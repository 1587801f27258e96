import type { PowerMonitor } from 'electron'

export type PowerState = 'suspend' | 'resume'

/**
 * Timers drift and fires are missed during sleep: the engine pauses on suspend and catches up
 * on resume. Returns a function that stops forwarding.
 */
export function forwardPowerEvents(powerMonitor: Pick<PowerMonitor, 'on' | 'removeListener'>, send: (state: PowerState) => void): () => void {
  const onSuspend = () => send('suspend')
  const onResume = () => send('resume')
  powerMonitor.on('suspend', onSuspend)
  powerMonitor.on('resume', onResume)
  return () => {
    powerMonitor.removeListener('suspend', onSuspend)
    powerMonitor.removeListener('resume', onResume)
  }
}

import type { EngineState, Status } from '@shared/ipc/contract'
import { PROVIDER_LABELS } from '@shared/providers'
import { formatStamp } from './time'

export interface OfflineInput {
  offline: boolean
  bridgeDown: boolean
  everConnected: boolean
  offlineSince: number | null
  problem: string | null
  now: number
}

export interface BannerMessage {
  text: string
  detail: string | null
}

/** The offline banner's words, or null when everything is connected. */
export function offlineMessage(input: OfflineInput): BannerMessage | null {
  if (input.bridgeDown && !input.everConnected) return { text: input.problem ?? 'Connecting to TickerDesk…', detail: null }
  if (!input.offline) return null
  const since = input.offlineSince === null ? 'Offline' : `Offline since ${formatStamp(input.offlineSince, input.now)}`
  return {
    text: `${since} — showing last-known prices`,
    detail: input.bridgeDown ? (input.problem ?? 'Reconnecting to TickerDesk…') : null
  }
}

const ENGINE_LABELS: Record<EngineState, string> = {
  starting: 'Starting…',
  running: 'Running',
  reconnecting: 'Reconnecting…',
  stopped: 'Stopped'
}

export function engineLabel(state: EngineState): string {
  return ENGINE_LABELS[state]
}

export function providerLabel(status: Pick<Status, 'provider'>): string {
  return PROVIDER_LABELS[status.provider]
}

/** "Rate-limited until 14:35" while the provider's limit lasts, else null. */
export function rateLimitText(until: number | null, now: number): string | null {
  if (until === null || until <= now) return null
  return `Rate-limited until ${formatStamp(until, now)}`
}

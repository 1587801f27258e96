import type { EngineState, Status } from '../shared/ipc/contract'
import type { ProviderStatus } from '../shared/ipc/engine-protocol'
import type { ProviderId } from '../shared/providers'

export const ENGINE_RESTARTING_MESSAGE = 'The quote engine stopped unexpectedly and is restarting; prices may be out of date.'

export interface StatusInputs {
  paused?: boolean
  engine: EngineState
  /** The provider the engine was last configured with. */
  provider: ProviderId
  /** The engine's latest report, if it was about `provider`. */
  providerStatus: ProviderStatus | null
  /** The latest report of every provider in use (equity, crypto, fallbacks, pins), listed as given. */
  providerStatuses?: readonly ProviderStatus[]
  lastQuoteAt: number | null
  /** Set when the engine could not be started at all. */
  engineError: string | null
}

/**
 * One status line for the UI; its single-provider fields describe the configured (equity)
 * provider, and `providers` lists every provider in use. lastUpdate is the later of the last
 * quote received and the provider's last successful answer: when nothing changed (a closed
 * market) the engine sends no quotes, yet the prices shown are still confirmed as of that answer.
 */
export function composeStatus(inputs: StatusInputs): Status {
  const p = inputs.providerStatus?.provider === inputs.provider ? inputs.providerStatus : null
  const lastSuccess = p?.lastSuccess ?? null
  const lastUpdate =
    inputs.lastQuoteAt === null ? lastSuccess : lastSuccess === null ? inputs.lastQuoteAt : Math.max(lastSuccess, inputs.lastQuoteAt)
  let lastError = p?.lastError ?? null
  if (inputs.engine === 'reconnecting') lastError = ENGINE_RESTARTING_MESSAGE
  else if (inputs.engine === 'stopped' && inputs.engineError !== null) lastError = inputs.engineError
  return {
    engine: inputs.engine,
    provider: inputs.provider,
    online: p?.online ?? true,
    offlineSince: p?.offlineSince ?? null,
    lastUpdate,
    lastError,
    rateLimitedUntil: p?.rateLimitedUntil ?? null,
    paused: inputs.paused ?? false,
    providers: [...(inputs.providerStatuses ?? (p ? [p] : []))]
  }
}

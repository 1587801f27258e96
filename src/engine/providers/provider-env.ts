import type { ProviderId } from '../../shared/providers'

export type ProviderEnv = Record<string, string | undefined>

export interface ProviderEndpoint {
  /** REST base URL override (TICKERDESK_<ID>_URL), e.g. a local test server. */
  baseUrl: string | undefined
  /** WebSocket base override (TICKERDESK_<ID>_WS_URL). */
  wsUrl: string | undefined
  /** API key (TICKERDESK_<ID>_KEY); a key saved in the app's settings wins over it. */
  key: string | undefined
}

/** Reads the fixed TICKERDESK_<ID>_URL / _WS_URL / _KEY variables for one provider. */
export function providerEndpoint(id: ProviderId, env: ProviderEnv): ProviderEndpoint {
  const prefix = `TICKERDESK_${id.toUpperCase()}`
  return {
    baseUrl: nonEmpty(env[`${prefix}_URL`]),
    wsUrl: nonEmpty(env[`${prefix}_WS_URL`]),
    key: nonEmpty(env[`${prefix}_KEY`])
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

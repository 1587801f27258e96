import type { ProviderKeysState } from '@shared/provider-settings'
import { usesKey } from '@shared/provider-settings'
import { AVAILABLE_PROVIDERS, PROVIDER_LABELS, type ProviderId } from '@shared/providers'

/** CoinGecko answers without a key (at a lower per-minute limit), so a missing key is no problem there. */
const KEY_OPTIONAL: readonly ProviderId[] = ['coingecko']

/** "(needs an API key)" for a provider that cannot work until a key is set; null otherwise. */
export function keyHint(id: ProviderId, keys: Partial<ProviderKeysState>): string | null {
  if (!usesKey(id) || KEY_OPTIONAL.includes(id)) return null
  return keys[id]?.hasKey ? null : '(needs an API key)'
}

/** A provider's label as offered in a list, with the key hint when it applies. */
export function providerOptionLabel(id: ProviderId, keys: Partial<ProviderKeysState>): string {
  const hint = keyHint(id, keys)
  return hint ? `${PROVIDER_LABELS[id]} ${hint}` : PROVIDER_LABELS[id]
}

/**
 * The providers to offer, in the app's order; a current choice the app no longer offers (older
 * config, command-line override) is kept so the select still shows it.
 */
export function offeredProviders(filter: (id: ProviderId) => boolean = () => true, keep: ProviderId | null = null): ProviderId[] {
  const ids: ProviderId[] = AVAILABLE_PROVIDERS.filter(filter)
  if (keep !== null && !ids.includes(keep)) ids.push(keep)
  return ids
}

/** Short names for the table's Source column; the full label goes in its tooltip. */
export const PROVIDER_SHORT_LABELS: Record<ProviderId, string> = {
  yahoo: 'Yahoo',
  alphavantage: 'Alpha Vantage',
  finnhub: 'Finnhub',
  twelvedata: 'Twelve Data',
  coinbase: 'Coinbase',
  binance: 'Binance',
  coingecko: 'CoinGecko',
  simulated: 'Simulated'
}

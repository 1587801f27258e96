/**
 * Company name, currency and market cap from `/stock/profile2`, looked up at most once per
 * symbol per UTC day and only with quota to spare: a quote never waits for or fails because of
 * a profile. Yesterday's answer stays in use while today's cannot be had.
 */
import type { FinnhubClient } from './finnhub-client'
import { ProviderError } from './provider'
import { FINNHUB_LABEL } from './finnhub-replies'
import { ProfileBodySchema } from './finnhub-schemas'

export interface FinnhubProfile {
  name: string | null
  currency: string | null
  /** In units of the currency (Finnhub reports millions). */
  marketCap: number | null
}

interface Entry {
  day: string
  profile: FinnhubProfile | null
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
const text = (value: string | null | undefined): string | null => (value && value.trim() !== '' ? value.trim() : null)

export function profileFromBody(body: unknown): FinnhubProfile | null {
  const parsed = ProfileBodySchema.safeParse(body)
  if (!parsed.success) return null
  const d = parsed.data
  const cap = typeof d.marketCapitalization === 'number' && d.marketCapitalization > 0 ? d.marketCapitalization * 1e6 : null
  const profile = { name: text(d.name), currency: text(d.currency), marketCap: cap }
  // Unknown symbols answer `{}`.
  return profile.name === null && profile.currency === null && profile.marketCap === null ? null : profile
}

export class ProfileCache {
  private readonly entries = new Map<string, Entry>()
  /** The UTC day on which Finnhub said profiles are not in the plan. */
  private deniedOn: string | null = null
  private pausedUntil = 0

  constructor(private readonly client: FinnhubClient) {}

  /** Today's profile for `symbol`, fetched if needed and affordable; else the last one known. */
  async lookup(symbol: string, signal?: AbortSignal): Promise<FinnhubProfile | null> {
    const now = this.client.deps.now()
    const day = dayOf(now)
    const entry = this.entries.get(symbol)
    if (entry?.day === day) return entry.profile
    const stale = entry?.profile ?? null
    if (this.deniedOn === day || now < this.pausedUntil || !this.client.takeSpare()) return stale
    try {
      const profile = profileFromBody(await this.client.get('/stock/profile2', { symbol }, { signal, slotTaken: true }))
      this.entries.set(symbol, { day, profile: profile ?? stale })
      return profile ?? stale
    } catch (error) {
      const problem = error instanceof ProviderError ? error : null
      if (problem?.kind === 'rate-limit') this.pausedUntil = now + (problem.retryAfterMs ?? 60_000)
      else if (problem?.kind === 'auth') this.deniedOn = day
      else if (problem?.kind !== 'network') this.entries.set(symbol, { day, profile: stale })
      this.client.deps.log('info', `${FINNHUB_LABEL} profile ${symbol} skipped: ${problem?.message ?? String(error)}`)
      return stale
    }
  }
}

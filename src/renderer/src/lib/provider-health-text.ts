import type { ProviderStatus } from '@shared/ipc/engine-protocol'
import { PROVIDER_LABELS } from '@shared/providers'

/** The day's budget is spent: the provider answers again after the 00:00 UTC reset. */
export function dailyLimitReached(status: ProviderStatus): boolean {
  const day = status.usage?.day
  if (day != null && day.used >= day.limit) return true
  return status.state === 'rate-limited' && /daily limit/i.test(status.lastError ?? '')
}

/** The provider's state as a short badge, in plain words. */
export function stateText(status: ProviderStatus): string {
  switch (status.state) {
    case 'ok':
      return 'Working'
    case 'rate-limited':
      return dailyLimitReached(status) ? 'Daily limit reached' : 'Rate limited'
    case 'circuit-open':
      return 'Paused after repeated failures'
    case 'offline':
      return 'Offline'
    case 'bad-key':
      return 'Key rejected'
    case 'stream-down':
      return 'Live stream down, polling'
    case 'unavailable':
      return 'Not available'
    default:
      if (!status.online) return 'Offline'
      return status.lastError ? 'Problem' : 'Working'
  }
}

/** What is wrong, for the status bar; null when the provider works. */
export function problemText(status: ProviderStatus): string | null {
  switch (status.state) {
    case undefined:
    case 'ok':
      return null
    case 'rate-limited':
      return dailyLimitReached(status) ? 'daily limit reached' : 'rate limit reached'
    case 'circuit-open':
      return 'paused after repeated failures'
    case 'offline':
      return 'offline'
    case 'bad-key':
      return 'invalid API key'
    case 'stream-down':
      return 'live stream down, polling instead'
    case 'unavailable':
      return 'not available'
  }
}

/** One line naming the first provider with a problem (and how many more), or null when all work. */
export function providersSummary(providers: readonly ProviderStatus[]): string | null {
  const troubled = providers.flatMap((p) => {
    const text = problemText(p)
    return text === null ? [] : [`${PROVIDER_LABELS[p.provider]}: ${text}`]
  })
  if (troubled.length === 0) return null
  return troubled.length === 1 ? troubled[0]! : `${troubled[0]} (+${troubled.length - 1} more)`
}

/** "12 / 25 today · 1 / 5 this minute", or "no limit" when the provider has none. */
export function usageText(usage: ProviderStatus['usage']): string {
  if (usage === undefined) return 'no limit'
  const parts: string[] = []
  if (usage.day !== null) parts.push(`${usage.day.used} / ${usage.day.limit} today`)
  if (usage.minute !== null) parts.push(`${usage.minute.used} / ${usage.minute.limit} this minute`)
  return parts.length === 0 ? 'no limit' : parts.join(' · ')
}

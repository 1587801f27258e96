import type { ProviderLimitOverride, ProviderLimits } from '@shared/provider-settings'
import type { ProviderId } from '@shared/providers'

export const LIMIT_FIELDS = [
  { key: 'perSecond', label: 'Requests per second' },
  { key: 'perMinute', label: 'Requests per minute' },
  { key: 'perDay', label: 'Requests per day' },
  { key: 'batch', label: 'Symbols per request' }
] as const

export type LimitKey = (typeof LIMIT_FIELDS)[number]['key']
export type LimitFields = Record<LimitKey, string> & { premium: boolean }

export function fieldsFrom(override: ProviderLimitOverride | undefined): LimitFields {
  const text = (value: number | undefined) => (value === undefined ? '' : String(value))
  return {
    perSecond: text(override?.perSecond),
    perMinute: text(override?.perMinute),
    perDay: text(override?.perDay),
    batch: text(override?.batch),
    premium: override?.premium === true
  }
}

/**
 * The override the fields describe; empty fields keep the free tier. Only "is it a number" is
 * checked here: whole numbers and ranges are the host's to judge, and its message is shown.
 */
export function overrideFrom(fields: LimitFields, premiumAllowed: boolean): { override: ProviderLimitOverride } | { problem: string } {
  const override: ProviderLimitOverride = {}
  for (const { key, label } of LIMIT_FIELDS) {
    const raw = fields[key].trim().replace(/[,_\s]/g, '')
    if (raw === '') continue
    const value = Number(raw)
    if (!Number.isFinite(value)) return { problem: `${label} must be a number, or empty for the free tier.` }
    override[key] = value
  }
  if (premiumAllowed && fields.premium) override.premium = true
  return { override }
}

/** Every provider's overrides with this one's replaced; an empty override goes back to the free tier. */
export function withOverride(all: ProviderLimits | undefined, id: ProviderId, override: ProviderLimitOverride): ProviderLimits {
  const next: ProviderLimits = { ...(all ?? {}) }
  if (Object.keys(override).length === 0) delete next[id]
  else next[id] = override
  return next
}

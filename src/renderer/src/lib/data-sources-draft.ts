import type { Settings } from '@shared/ipc/contract'
import { PROVIDER_LABELS, type ProviderId } from '@shared/providers'
import { normaliseSymbol, symbolProblem } from '@shared/symbols'
import { moveItem } from './move-item'

/** The routing part of the settings, edited in the dialog and saved with the rest. */
export interface DataSourcesDraft {
  provider: ProviderId
  cryptoProvider: ProviderId
  fallbackProviders: ProviderId[]
  symbolProviders: Record<string, ProviderId>
  extendedHours: boolean
}

/** Matches SettingsSchema's bound on fallbacks. */
export const MAX_FALLBACKS = 8

export function draftFrom(settings: Settings | null, defaults: { provider: ProviderId; cryptoProvider: ProviderId }): DataSourcesDraft {
  return {
    provider: settings?.provider ?? defaults.provider,
    cryptoProvider: settings?.cryptoProvider ?? defaults.cryptoProvider,
    fallbackProviders: [...(settings?.fallbackProviders ?? [])],
    symbolProviders: { ...(settings?.symbolProviders ?? {}) },
    extendedHours: settings?.extendedHours ?? false
  }
}

export function addFallback(list: readonly ProviderId[], id: ProviderId): ProviderId[] {
  if (list.includes(id) || list.length >= MAX_FALLBACKS) return [...list]
  return [...list, id]
}

export function removeFallback(list: readonly ProviderId[], id: ProviderId): ProviderId[] {
  return list.filter((p) => p !== id)
}

/** Moves a fallback one place up (-1) or down (+1); out-of-range moves change nothing. */
export function moveFallback(list: readonly ProviderId[], id: ProviderId, by: -1 | 1): ProviderId[] {
  const from = list.indexOf(id)
  const to = from + by
  if (from < 0 || to < 0 || to >= list.length) return [...list]
  return moveItem([...list], from, to)
}

export type PinResult = { pins: Record<string, ProviderId>; symbol: string; replaced: ProviderId | null } | { problem: string }

/** Adds (or re-points) a symbol pin; a bad symbol comes back as a plain-words problem. */
export function addPin(pins: Readonly<Record<string, ProviderId>>, raw: string, provider: ProviderId | ''): PinResult {
  if (raw.trim() === '') return { problem: 'Type the symbol to pin, for example AAPL or BTC-USD.' }
  const problem = symbolProblem(raw)
  if (problem !== null) return { problem }
  if (provider === '') return { problem: 'Choose the provider this symbol should use.' }
  const symbol = normaliseSymbol(raw)
  const previous = pins[symbol] ?? null
  if (previous === provider) return { problem: `${symbol} already uses ${PROVIDER_LABELS[provider]}.` }
  return { pins: { ...pins, [symbol]: provider }, symbol, replaced: previous }
}

export function removePin(pins: Readonly<Record<string, ProviderId>>, symbol: string): Record<string, ProviderId> {
  const next = { ...pins }
  delete next[symbol]
  return next
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * Only the fields the user changed: saving an untouched provider would also drop a provider the
 * app was started with for this run.
 */
export function changedSources(before: DataSourcesDraft, after: DataSourcesDraft): Partial<DataSourcesDraft> {
  const changes: Partial<DataSourcesDraft> = {}
  if (after.provider !== before.provider) changes.provider = after.provider
  if (after.cryptoProvider !== before.cryptoProvider) changes.cryptoProvider = after.cryptoProvider
  if (!same(after.fallbackProviders, before.fallbackProviders)) changes.fallbackProviders = [...after.fallbackProviders]
  if (!same(after.symbolProviders, before.symbolProviders)) changes.symbolProviders = { ...after.symbolProviders }
  if (after.extendedHours !== before.extendedHours) changes.extendedHours = after.extendedHours
  return changes
}

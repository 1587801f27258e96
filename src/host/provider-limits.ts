import type { Settings } from '../shared/ipc/contract'
import { UserError } from '../shared/ipc/result'
import { compactLimits, ProviderLimitOverrideSchema, type ProviderLimits } from '../shared/provider-settings'
import { PROVIDER_LABELS, ProviderIdSchema } from '../shared/providers'

/**
 * Checks the limit overrides in a settings change and returns them without empty entries.
 * Throws a UserError naming the provider and the field, e.g. "Finnhub: Requests per minute must be at least 1."
 */
export function checkProviderLimits(patch: Pick<Partial<Settings>, 'providerLimits'>): Pick<Partial<Settings>, 'providerLimits'> {
  const raw: unknown = patch.providerLimits
  if (raw === undefined) return {}
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError('Provider limits must be given per provider.')
  const clean: ProviderLimits = {}
  for (const [key, value] of Object.entries(raw)) {
    const id = ProviderIdSchema.safeParse(key)
    if (!id.success) throw new UserError(`"${key}" is not a known provider.`)
    const label = PROVIDER_LABELS[id.data]
    const parsed = ProviderLimitOverrideSchema.safeParse(value)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const message = issue?.code === 'unrecognized_keys' ? `"${issue.keys.join('", "')}" is not a limit setting.` : (issue?.message ?? 'not valid.')
      throw new UserError(`${label}: ${message}`)
    }
    if (parsed.data.premium !== undefined && id.data !== 'alphavantage') throw new UserError(`${label} has no premium switch; set its limits instead.`)
    clean[id.data] = parsed.data
  }
  return { providerLimits: compactLimits(clean) }
}

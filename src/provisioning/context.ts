// What every provisioning operation needs: the store, the tenant resolved from the token, the
// tenant's SCIM base URL (for meta.location) and its quirk settings.
import type { Tenant } from '../domain/types.ts'
import type { QuirkOptions } from '../scim/resources/quirks.ts'
import type { Store } from '../store/store.ts'

export interface ProvisioningContext {
  readonly store: Store
  readonly tenant: Tenant
  /** e.g. https://host/scim/v2/acme, without a trailing slash. */
  readonly baseUrl: string
  readonly quirks: QuirkOptions
  /** Messages for the provisioning log (e.g. a userName that is not an email, SPEC D1). */
  readonly warnings: string[]
}

export const RFC3339_NOW = (): string => new Date().toISOString()

// System Settings → SCIM Provisioning (SPEC §3, seed 003) for a tenant's Admin: whether SCIM is
// on, whether it can be turned on (a verified login connection), the Base URL, and when the token
// was last used, from which address and client — read from the provisioning log, not kept apart.
// Enabling and re-issuing show the token once; only its id is stored (scim-tokens.ts).
import type { Tenant } from '../domain/types.ts'
import { AppError } from '../errors.ts'
import { REFUSED_OPERATION } from '../provisioning/log-writer.ts'
import { hasVerifiedConnection } from '../sso/connections.ts'
import type { Store, StoredProvisioningLogEntry } from '../store/store.ts'
import {
  issueScimToken,
  revokeScimToken,
  type IssuedToken,
  type SigningKey,
} from './scim-tokens.ts'

/** Seed 003: "If the button is disabled and you see a warning, that means SSO is not enabled". */
export const NEEDS_VERIFIED_CONNECTION =
  'SCIM provisioning needs a verified login connection first. Create an OpenID Connect ' +
  'connection under Enterprise Connection and verify it; then enable SCIM here. People that ' +
  "another tenant already has can only move here by signing in through this tenant's login URL."

/** One SCIM request as the settings page shows it. */
export interface ScimRequestSummary {
  readonly id: number
  readonly at: string
  readonly operation: string
  readonly status: number
  readonly outcome: 'success' | 'failure'
  readonly detail: string | null
  readonly address: string | null
  readonly client: string | null
}

export interface ScimSettings {
  readonly enabled: boolean
  readonly hasVerifiedConnection: boolean
  /** Why SCIM cannot be enabled now, or null when it can (or is on). */
  readonly warning: string | null
  /** The tenant's SCIM Base URL (Entra: Tenant URL). */
  readonly baseUrl: string
  readonly tokenIssuedAt: string | null
  /** The newest request the current token authenticated; null when none since it was issued. */
  readonly lastUsed: ScimRequestSummary | null
  /** The newest SCIM request of any outcome, refused ones included. */
  readonly lastRequest: ScimRequestSummary | null
}

function summaryOf(entry: StoredProvisioningLogEntry): ScimRequestSummary {
  return {
    id: entry.id,
    at: entry.at,
    operation: entry.operation,
    status: entry.status,
    outcome: entry.status < 400 ? 'success' : 'failure',
    detail: entry.detail,
    address: entry.address,
    client: entry.client,
  }
}

/** The tenant's SCIM settings as the console shows them. */
export async function scimSettingsOf(
  store: Store,
  tenant: Tenant,
  publicUrl: string,
): Promise<ScimSettings> {
  const log = store.forTenant(tenant.id).provisioningLog
  const isVerified = await hasVerifiedConnection(store, tenant.id)
  const enabled = tenant.scimTokenId !== null
  // SCIM requests only: not the entries of events (a membership ended, a hand back), which are
  // no use of the token and come from no client.
  const [lastRequest] = await log.list({ limit: 1, requestsOnly: true })
  // Only one token is valid at a time, so the requests it authenticated are those not refused
  // since it was issued.
  const [lastUsed] =
    enabled && tenant.scimTokenIssuedAt !== null
      ? await log.list({
          limit: 1,
          since: tenant.scimTokenIssuedAt,
          requestsOnly: true,
          excludeOperations: [REFUSED_OPERATION],
        })
      : []
  return {
    enabled,
    hasVerifiedConnection: isVerified,
    warning: enabled || isVerified ? null : NEEDS_VERIFIED_CONNECTION,
    baseUrl: `${publicUrl}/scim/v2/${tenant.slug}`,
    tokenIssuedAt: enabled ? tenant.scimTokenIssuedAt : null,
    lastUsed: lastUsed ? summaryOf(lastUsed) : null,
    lastRequest: lastRequest ? summaryOf(lastRequest) : null,
  }
}

/**
 * Enables SCIM (`reissue: false`) or replaces the token (`reissue: true`, the old one stops working
 * at once). Throws conflict without a verified login connection (an Admin has no --force), when
 * enabling what is on, or re-issuing what is off.
 */
export async function issueTokenAsAdmin(
  store: Store,
  key: SigningKey,
  tenant: Tenant,
  publicUrl: string,
  options: { readonly reissue: boolean },
): Promise<IssuedToken> {
  const enabled = tenant.scimTokenId !== null
  if (options.reissue && !enabled) {
    throw AppError.conflict('SCIM provisioning is disabled for this tenant: enable it instead.')
  }
  if (!options.reissue && enabled) {
    throw AppError.conflict(
      'SCIM provisioning is already enabled. Re-issue the token to get a new one (the current ' +
        'one then stops working).',
    )
  }
  if (!(await hasVerifiedConnection(store, tenant.id))) {
    throw AppError.conflict(NEEDS_VERIFIED_CONNECTION)
  }
  return issueScimToken(store, key, tenant, publicUrl)
}

/** Disables SCIM: the token stops working on the next request. Idempotent. */
export async function disableScim(store: Store, tenant: Tenant): Promise<void> {
  await revokeScimToken(store, tenant)
}

// The directory model of SPEC §1: tenants, users (identified by email), memberships with role,
// origin and active flag, groups (identified by name) and group memberships with origin.
import type { TenantId } from './ids.ts'

/** Who controls a record: created in Rollcall, or controlled by the IdP through SCIM. */
export type Origin = 'INTERNAL' | 'SCIM'

/** Built-in roles (D3); tenants may add their own later. */
export const BUILT_IN_ROLES = ['Admin', 'Editor', 'Viewer'] as const
export type Role = string

/** D4: a user provisioned by SCIM gets this role unless a group→role rule says otherwise. */
export const DEFAULT_SCIM_ROLE: Role = 'Viewer'

export interface Tenant {
  readonly id: TenantId
  readonly slug: string
  readonly name: string
  readonly createdAt: string
  /** SPEC §7: refuse the non-profile forms (path-less PATCH, string booleans, the ADSCIM URN). */
  readonly scimStrictProfile: boolean
  /** The id (jti) of the one valid SCIM token, or null when SCIM is disabled. */
  readonly scimTokenId: string | null
  /** When that token was issued (ISO time), or null when SCIM is disabled. */
  readonly scimTokenIssuedAt: string | null
}

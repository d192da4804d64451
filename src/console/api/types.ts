// The admin API's answers, as the response schemas of src/http/routes/api/*.ts declare them.
// TODO(#9): import type these from the admin API's schemas once they are exported as types.

/** GET /api/session */
export interface SessionInfo {
  readonly email: string
  /** The tenant's slug. */
  readonly tenant: string
  readonly role: string
}

/** RFC 9457 problem details, as every /api error answers. */
export interface Problem {
  readonly type?: string
  readonly title?: string
  readonly status?: number
  readonly detail?: string
  readonly code?: string
}

/** /api/tenants/:tenant/domains (SPEC §1 D10) */
export interface DomainView {
  readonly domain: string
  readonly status: 'pending' | 'verified'
  readonly txtName: string
  readonly txtValue: string
  readonly verifiedAt: string | null
  /** 'dns', or 'operator' when the operator vouched for it (CLI --force). */
  readonly verifiedMethod: string | null
  readonly verifiedBy: string | null
  readonly createdAt: string
}

/** /api/tenants/:tenant/connections (SPEC §4) */
export interface ConnectionView {
  readonly id: string
  readonly name: string
  readonly issuer: string
  readonly clientId: string
  readonly domain: string
  readonly status: 'draft' | 'verified'
  readonly verifiedAt: string | null
  readonly jitEnabled: boolean
  readonly emailClaims: readonly string[]
  readonly loginUrl: string
  readonly redirectUri: string
  readonly createdAt: string
  readonly updatedAt: string
}

/** The body of POST (all but the optional ones required) and PATCH (all optional). */
export interface ConnectionInput {
  name?: string
  issuer?: string
  clientId?: string
  clientSecret?: string
  domain?: string
  jitEnabled?: boolean
  emailClaims?: string[]
}

/** /api/tenants/:tenant/sign-in-log */
export interface SignInLogEntry {
  readonly id: number
  readonly connectionId: string | null
  readonly at: string
  readonly outcome: string
  readonly email: string | null
  readonly detail: string | null
}

/** One SCIM request as System Settings shows it. */
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

/** /api/tenants/:tenant/scim (SPEC §3) */
export interface ScimSettingsView {
  readonly enabled: boolean
  readonly hasVerifiedConnection: boolean
  /** Why SCIM cannot be enabled now, or null. */
  readonly warning: string | null
  readonly baseUrl: string
  readonly tokenIssuedAt: string | null
  readonly lastUsed: ScimRequestSummary | null
  readonly lastRequest: ScimRequestSummary | null
}

/** POST /api/tenants/:tenant/scim/enable and /reissue: the token, this once. */
export interface IssuedScimToken {
  readonly baseUrl: string
  readonly token: string
  readonly settings: ScimSettingsView
}

/** /api/tenants/:tenant/provisioning-log: one SCIM request, without its bodies. */
export interface ProvisioningLogSummary {
  readonly id: number
  readonly at: string
  readonly requestId: string | null
  readonly method: string
  readonly path: string
  readonly operation: string
  readonly resourceType: string | null
  readonly resourceId: string | null
  readonly status: number
  readonly outcome: 'success' | 'failure'
  readonly scimType: string | null
  readonly detail: string | null
  readonly durationMs: number
  readonly client: string | null
  readonly address: string | null
}

/** /api/tenants/:tenant/provisioning-log/:id: with the (redacted) bodies. */
export interface ProvisioningLogEntryView extends ProvisioningLogSummary {
  readonly requestBody: string | null
  readonly responseBody: string | null
}

export interface ProvisioningLogPage {
  readonly entries: readonly ProvisioningLogSummary[]
  /** The beforeId of the next (older) page, or null on the last one. */
  readonly nextBeforeId: number | null
}

export interface ProvisioningLogFilter {
  readonly outcome?: 'success' | 'failure' | undefined
  readonly operation?: string | undefined
  readonly resourceType?: 'User' | 'Group' | undefined
}

export type ActivityRange = 'hour' | 'day' | 'month'

/** /api/tenants/:tenant/provisioning-log/activity */
export interface ProvisioningActivityView {
  readonly range: ActivityRange
  readonly bucket: 'minute' | 'hour' | 'day'
  readonly since: string
  readonly buckets: readonly {
    readonly start: string
    readonly requests: number
    readonly failures: number
  }[]
}

/** /api/tenants/:tenant/users (SPEC §1 D8) */
export interface UserView {
  readonly id: string
  readonly userName: string
  readonly email: string
  readonly displayName: string | null
  readonly origin: 'INTERNAL' | 'SCIM'
  readonly role: string
  readonly active: boolean
  readonly createdAt: string
  readonly updatedAt: string
  /** When a console session last started for the membership; null if it never signed in. */
  readonly lastSignInAt: string | null
  /** Why each refused action is refused (D8, own account); an action not named is allowed. */
  readonly refusals: {
    readonly disable?: string
    readonly enable?: string
    readonly delete?: string
    readonly role?: string
  }
}

export interface UserListPage {
  readonly items: readonly UserView[]
  readonly total: number
  readonly nextCursor: string | null
}

export interface UserFilters {
  readonly search?: string
  readonly origin?: 'INTERNAL' | 'SCIM'
  readonly role?: string
  readonly status?: 'active' | 'disabled'
}

/** POST /api/tenants/:tenant/users */
export interface InvitedUser {
  readonly user: UserView
  /** One-time link to choose a password, valid 24 hours; shown once. */
  readonly setPasswordUrl: string
}

/** /api/tenants/:tenant/groups (SPEC §1 G1–G6) */
export interface GroupView {
  readonly id: string
  readonly displayName: string
  readonly externalId: string | null
  readonly origin: 'INTERNAL' | 'SCIM'
  readonly createdAt: string
  readonly updatedAt: string
}

export interface GroupMember {
  readonly id: string
  readonly type: 'User' | 'Group'
  readonly display: string | null
  readonly origin: 'INTERNAL' | 'SCIM'
  /** G4: why an admin may not remove this member; absent when they may. */
  readonly removalRefusal?: string
}

export interface GroupDetail extends GroupView {
  /** One page of the members, in member id order. */
  readonly members: readonly GroupMember[]
  readonly membersTotal: number
  /** The cursor of the next page of members; null on the last page. */
  readonly nextCursor: string | null
}

// The Store interface: everything Rollcall keeps, behind one contract that the SQLite and
// PostgreSQL implementations both honour, made of small per-aggregate repositories
// (repositories/). Tenancy is structural: a tenant's data is read and written only through
// forTenant(tenantId), so a query without a tenant filter cannot be written by accident.
import type { TenantId } from '../domain/ids.ts'
import type { ApiKeyRepository } from './repositories/api-keys.ts'
import type {
  AuthorizationStateLookup,
  AuthorizationStateRepository,
} from './repositories/authorization-states.ts'
import type { ConnectionLookup, ConnectionRepository } from './repositories/connections.ts'
import type { DomainOwnership, DomainRepository } from './repositories/domains.ts'
import type { EventLog, TenantEventRepository } from './repositories/events.ts'
import type { GroupRepository } from './repositories/groups.ts'
import type { LoginFailureRepository } from './repositories/login-failures.ts'
import type { MemberRepository } from './repositories/members.ts'
import type {
  OidcClientRepository,
  OidcKeyRepository,
  OidcModelRepository,
} from './repositories/oidc-provider.ts'
import type { OneTimeTokenLookup, OneTimeTokenRepository } from './repositories/one-time-tokens.ts'
import type { OriginRepository } from './repositories/origins.ts'
import type { PersonRepository } from './repositories/people.ts'
import type { RoleRuleRepository } from './repositories/role-rules.ts'
import type {
  ProvisioningLogRepository,
  ProvisioningLogRetention,
} from './repositories/provisioning-log.ts'
import type { ServiceSettingRepository } from './repositories/service-settings.ts'
import type { SessionLookup, SessionRepository } from './repositories/sessions.ts'
import type { SignInLogRepository, SignInLogRetention } from './repositories/sign-in-log.ts'
import type { SigningKeyRepository } from './repositories/signing-keys.ts'
import type { TenantRepository, TenantScimSettings } from './repositories/tenants.ts'
import type { UserRepository } from './repositories/users.ts'
import type { WebhookDeliveryRepository } from './repositories/webhook-deliveries.ts'
import type { WebhookEndpointRepository } from './repositories/webhooks.ts'

export type * from './repositories/api-keys.ts'
export type * from './repositories/authorization-states.ts'
export type * from './repositories/connections.ts'
export type * from './repositories/domains.ts'
export type * from './repositories/events.ts'
export type * from './repositories/groups.ts'
export type * from './repositories/listing.ts'
export type * from './repositories/login-failures.ts'
export type * from './repositories/members.ts'
export type * from './repositories/oidc-provider.ts'
export type * from './repositories/one-time-tokens.ts'
export type * from './repositories/origins.ts'
export type * from './repositories/people.ts'
export type * from './repositories/provisioning-log.ts'
export type * from './repositories/role-rules.ts'
export type * from './repositories/service-settings.ts'
export type * from './repositories/sessions.ts'
export type * from './repositories/sign-in-log.ts'
export type * from './repositories/signing-keys.ts'
export type * from './repositories/tenants.ts'
export type * from './repositories/users.ts'
export type * from './repositories/webhook-deliveries.ts'
export type * from './repositories/webhooks.ts'
export { memberReference } from './repositories/members.ts'
export { NOT_A_REQUEST } from './repositories/provisioning-log.ts'

/**
 * Thrown by writes that break a uniqueness rule; the caller turns it into SCIM 409. Every store
 * method (and transaction()) reports a driver's unique violation as this, never the driver error.
 */
export class UniqueViolation extends Error {
  constructor(readonly constraint: string) {
    super(`unique constraint violated: ${constraint}`)
    this.name = 'UniqueViolation'
  }
}

/**
 * Thrown when the database cannot be reached or answered with a transient failure; like
 * UniqueViolation, it comes out of the store itself.
 */
export class StoreUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreUnavailable'
  }
}

/** One tenant's data. Cheap to obtain: forTenant is called once or more per request. */
export interface TenantStore {
  readonly tenantId: TenantId
  readonly users: UserRepository
  readonly groups: GroupRepository
  readonly members: MemberRepository
  /** Group → role rules; the effective roles they give are kept by the store. */
  readonly roleRules: RoleRuleRepository
  /** What SCIM controls, and the hand back to INTERNAL. */
  readonly origins: OriginRepository
  readonly connections: ConnectionRepository
  readonly domains: DomainRepository
  readonly provisioningLog: ProvisioningLogRepository
  readonly signInLog: SignInLogRepository
  readonly sessions: SessionRepository
  readonly oneTimeTokens: OneTimeTokenRepository
  readonly authorizationStates: AuthorizationStateRepository
  /** The tenant's SCIM settings (token, profile). */
  readonly scim: TenantScimSettings
  /** The tenant's event log (appended in the transaction of each change). */
  readonly events: TenantEventRepository
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres'
  /** Applies pending migrations (idempotent). */
  migrate(): Promise<void>
  /** Runs fn in one transaction; everything it does through the given store commits or none. */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T>
  /** The data of one tenant; an unknown tenant id reads nothing. */
  forTenant(tenantId: TenantId): TenantStore

  // Service-wide repositories: nothing here writes or lists one tenant's data.
  readonly tenants: TenantRepository
  /** A person across tenants (D7) and their local credentials. */
  readonly people: PersonRepository
  /** A connection by id (the login URL) or by verified domain (D11), of any tenant. */
  readonly connections: ConnectionLookup
  readonly domains: DomainOwnership
  readonly authorizationStates: AuthorizationStateLookup
  readonly oneTimeTokens: OneTimeTokenLookup
  readonly sessions: SessionLookup
  readonly loginFailures: LoginFailureRepository
  readonly signingKeys: SigningKeyRepository
  readonly provisioningLog: ProvisioningLogRetention
  readonly signInLog: SignInLogRetention
  readonly settings: ServiceSettingRepository
  /** The event log across tenants: the operator's feed, webhooks, retention. */
  readonly events: EventLog
  /** Webhook endpoints with their delivery state and leases (service-wide, like the operator). */
  readonly webhooks: WebhookEndpointRepository
  /** The webhook delivery log, dead letters and queued redeliveries. */
  readonly webhookDeliveries: WebhookDeliveryRepository
  /** The host application's API keys (operator and tenant keys). */
  readonly apiKeys: ApiKeyRepository
  /** The host application's OpenID Provider: its models, clients and signing keys. */
  readonly oidcModels: OidcModelRepository
  readonly oidcClients: OidcClientRepository
  readonly oidcKeys: OidcKeyRepository

  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>
  close(): Promise<void>
}

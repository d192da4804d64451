// Row types of the tables created in migrations/ (snake_case columns). Domain types stay in
// domain/; the mapping happens in each aggregate's repository beside this file, one function per
// table.
import type { Generated } from 'kysely'

export interface TenantsTable {
  id: string
  slug: string
  name: string
  scim_strict_profile: number
  scim_token_id: string | null
  scim_token_issued_at: string | null
  created_at: string
}

export interface UsersTable {
  id: string
  email_norm: string | null
  created_at: string
}

export interface TenantUsersTable {
  tenant_id: string
  user_id: string
  user_name: string
  user_name_norm: string
  external_id: string | null
  display_name: string | null
  display_name_norm: string | null
  active: number
  origin: string
  /** The effective role: the highest of assigned_role and the rules of the member's groups. */
  role: string
  /** The member's own role (set by an admin, or the default); see migrations/0006. */
  assigned_role: Generated<string>
  /** JSON text on SQLite; on PostgreSQL a jsonb value that pg parses into an object. */
  doc: string | Record<string, unknown>
  password_hash: string | null
  version: number
  created_at: string
  updated_at: string
  /** When a session last started for this membership; see migrations/0008. */
  last_sign_in_at: Generated<string | null>
}

export interface UserEmailsTable {
  tenant_id: string
  user_id: string
  position: number
  value: string
  value_norm: string
  type: string | null
  is_primary: number
}

export interface GroupsTable {
  tenant_id: string
  id: string
  display_name: string
  display_name_norm: string
  external_id: string | null
  origin: string
  doc: string | Record<string, unknown>
  version: number
  created_at: string
  updated_at: string
}

export interface GroupMembersTable {
  tenant_id: string
  group_id: string
  member_id: string
  member_type: string
  origin: string
  created_at: string
}

export interface RoleRulesTable {
  tenant_id: string
  group_id: string
  role: string
  created_at: string
}

export interface SigningKeysTable {
  id: string
  algorithm: string
  public_jwk: string
  private_key_encrypted: string
  created_at: string
}

export interface OidcModelsTable {
  kind: string
  id: string
  payload: string
  grant_id: string | null
  user_code: string | null
  uid: string | null
  /** bigint: PostgreSQL's driver answers a string. */
  consumed: number | string | null
  expires_at: string | null
}

export interface OidcClientsTable {
  id: string
  name: string
  secret_sealed: string
  redirect_uris: string
  created_at: string
}

export interface OidcKeysTable {
  id: string
  private_jwk_sealed: string
  created_at: string
  retires_at: string | null
}

export interface ProvisioningLogTable {
  id: Generated<number>
  tenant_id: string
  at: string
  request_id: string | null
  method: string
  path: string
  operation: string
  resource_type: string | null
  resource_id: string | null
  status: number
  scim_type: string | null
  detail: string | null
  duration_ms: number
  client: string | null
  address: string | null
  request_body: string | null
  response_body: string | null
}

export interface LoginConnectionsTable {
  id: string
  tenant_id: string
  name: string
  issuer: string
  client_id: string
  client_secret_encrypted: string
  domain: string
  domain_norm: string
  status: string
  verified_at: string | null
  jit_enabled: number
  email_claims: string
  created_at: string
  updated_at: string
}

export interface TenantDomainsTable {
  tenant_id: string
  domain_norm: string
  challenge: string
  status: string
  verified_at: string | null
  verified_method: string | null
  verified_by: string | null
  created_at: string
}

export interface SsoStatesTable {
  state: string
  tenant_id: string
  connection_id: string
  purpose: string
  nonce: string
  code_verifier: string
  binding_hash: string
  created_at: string
  expires_at: string
}

export interface OneTimeTokensTable {
  token_hash: string
  purpose: string
  tenant_id: string
  subject_id: string
  created_at: string
  expires_at: string
}

export interface SignInLogTable {
  id: Generated<number>
  tenant_id: string
  connection_id: string | null
  at: string
  outcome: string
  email: string | null
  detail: string | null
}

export interface LocalCredentialsTable {
  user_id: string
  password_hash: string
  updated_at: string
}

export interface LoginFailuresTable {
  id: Generated<number>
  key: string
  at: string
}

export interface SessionsTable {
  id_hash: string
  user_id: string
  tenant_id: string
  created_at: string
  last_seen_at: string
  idle_expires_at: string
  absolute_expires_at: string
}

export interface ServiceSettingsTable {
  key: string
  value: string
  updated_at: string
}

/** Moves with every insert and delete of a tenant's users or groups (migration 0014, triggers). */
export interface ListingRevisionsTable {
  tenant_id: string
  resource: 'User' | 'Group'
  revision: number | string
}

export interface EventsTable {
  /** SQLite assigns it (AUTOINCREMENT); PostgreSQL takes nextval under the event lock. */
  position: Generated<number | string>
  id: string
  tenant_id: string
  type: string
  at: string
  body: string
}

export interface WebhookEndpointsTable {
  id: string
  url: string
  tenant_id: string | null
  /** A JSON array of event types; null: every type. */
  event_types: string | null
  enabled: number
  disabled_reason: string | null
  secret_sealed: string
  previous_secret_sealed: string | null
  previous_secret_until: string | null
  cursor: number | string
  pending_position: number | string | null
  pending_attempts: number
  next_attempt_at: string | null
  lease_owner: string | null
  lease_until: string | null
  created_at: string
  updated_at: string
}

export interface WebhookDeliveriesTable {
  id: Generated<number | string>
  endpoint_id: string
  event_id: string
  attempt: number
  manual: number
  outcome: string
  status: number | null
  latency_ms: number
  error: string | null
  next_try_at: string | null
  at: string
}

export interface WebhookDeadLettersTable {
  id: Generated<number | string>
  endpoint_id: string
  event_id: string
  position: number | string
  attempts: number
  last_error: string | null
  at: string
}

export interface WebhookRedeliveriesTable {
  id: Generated<number | string>
  endpoint_id: string
  event_id: string
  attempts: number
  next_attempt_at: string
  requested_at: string
}

export interface ApiKeysTable {
  id: string
  tenant_id: string | null
  scope: string
  name: string
  key_hash: string
  created_at: string
  last_used_at: string | null
  last_used_address: string | null
  revoked_at: string | null
}

export interface Database {
  tenants: TenantsTable
  users: UsersTable
  tenant_users: TenantUsersTable
  user_emails: UserEmailsTable
  groups: GroupsTable
  group_members: GroupMembersTable
  role_rules: RoleRulesTable
  signing_keys: SigningKeysTable
  oidc_models: OidcModelsTable
  oidc_clients: OidcClientsTable
  oidc_keys: OidcKeysTable
  provisioning_log: ProvisioningLogTable
  events: EventsTable
  listing_revisions: ListingRevisionsTable
  webhook_endpoints: WebhookEndpointsTable
  webhook_deliveries: WebhookDeliveriesTable
  webhook_dead_letters: WebhookDeadLettersTable
  webhook_redeliveries: WebhookRedeliveriesTable
  api_keys: ApiKeysTable
  login_connections: LoginConnectionsTable
  tenant_domains: TenantDomainsTable
  sso_states: SsoStatesTable
  one_time_tokens: OneTimeTokensTable
  sign_in_log: SignInLogTable
  local_credentials: LocalCredentialsTable
  login_failures: LoginFailuresTable
  sessions: SessionsTable
  service_settings: ServiceSettingsTable
}

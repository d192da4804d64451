// Row types of the tables created in migrations/ (snake_case columns). Domain types stay in
// domain/; the mapping happens in sql-store.ts, one function per table.
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
  role: string
  /** JSON text on SQLite; on PostgreSQL a jsonb value that pg parses into an object. */
  doc: string | Record<string, unknown>
  password_hash: string | null
  version: number
  created_at: string
  updated_at: string
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

export interface SigningKeysTable {
  id: string
  algorithm: string
  public_jwk: string
  private_key_encrypted: string
  created_at: string
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
  request_body: string | null
  response_body: string | null
}

export interface Database {
  tenants: TenantsTable
  users: UsersTable
  tenant_users: TenantUsersTable
  user_emails: UserEmailsTable
  groups: GroupsTable
  group_members: GroupMembersTable
  signing_keys: SigningKeysTable
  provisioning_log: ProvisioningLogTable
}

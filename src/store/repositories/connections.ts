// OpenID Connect login connections (SPEC §4): a tenant manages its own; the login URL (by id)
// and "Sign in with SSO" (by verified domain, D11) find one across tenants.
import type { ConnectionId, TenantId } from '../../domain/ids.ts'

/** SPEC §4: a login connection is usable for sign-in only once an admin verified it. */
export type ConnectionStatus = 'draft' | 'verified'

/** An OpenID Connect login connection of a tenant (SPEC §4). */
export interface LoginConnectionRecord {
  readonly id: ConnectionId
  readonly tenantId: TenantId
  readonly name: string
  readonly issuer: string
  readonly clientId: string
  /** The client secret sealed by the SecretBox (AES-256-GCM under ROLLCALL_SECRET). */
  readonly clientSecretEncrypted: string
  /** As the admin typed it; compared case-insensitively. */
  readonly domain: string
  readonly status: ConnectionStatus
  readonly verifiedAt: string | null
  /** Just-in-time membership (as Viewer) for people who are not members yet. */
  readonly jitEnabled: boolean
  /** ID-token claims that may carry the email, in the order they are tried. */
  readonly emailClaims: readonly string[]
  readonly createdAt: string
  readonly updatedAt: string
}

/** A new connection; its tenant is the TenantStore's. */
export type ConnectionWrite = Omit<LoginConnectionRecord, 'tenantId'>

export interface ConnectionChanges {
  readonly name?: string
  readonly issuer?: string
  readonly clientId?: string
  readonly clientSecretEncrypted?: string
  readonly domain?: string
  readonly status?: ConnectionStatus
  readonly verifiedAt?: string | null
  readonly jitEnabled?: boolean
  readonly emailClaims?: readonly string[]
}

/** One tenant's connections. */
export interface ConnectionRepository {
  /**
   * Creates a login connection. The domain is stored as given and compared case-insensitively:
   * throws UniqueViolation('login_connections_domain') when another connection of the same
   * tenant has the same domain (other tenants may name it too: only a verified domain routes).
   */
  create(record: ConnectionWrite): Promise<LoginConnectionRecord>
  /** The tenant's connections, oldest first. */
  list(): Promise<LoginConnectionRecord[]>
  /**
   * Applies the given changes to a connection of this tenant and sets updatedAt. Returns the
   * updated record, or undefined when the tenant has no such connection (another tenant's id
   * included). Throws UniqueViolation('login_connections_domain') on a taken domain.
   */
  update(
    id: ConnectionId,
    changes: ConnectionChanges,
    at: string,
  ): Promise<LoginConnectionRecord | undefined>
  /** Deletes a connection of this tenant; false when there was none. */
  delete(id: ConnectionId): Promise<boolean>
}

/** Finding a connection across tenants. */
export interface ConnectionLookup {
  /** The connection with this id, of any tenant, or undefined. */
  get(id: ConnectionId): Promise<LoginConnectionRecord | undefined>
  /**
   * D11: the connection "Sign in with SSO" routes this domain to — the one with this domain of
   * the tenant that verified the domain — or undefined.
   */
  byDomain(domain: string): Promise<LoginConnectionRecord | undefined>
}

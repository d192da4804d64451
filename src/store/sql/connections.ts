// The login_connections table (OIDC login connections, SPEC §4): a tenant's own connections, and
// the service-wide lookups the login URL (by id) and "Sign in with SSO" (by domain, D11) need.
import type { Selectable } from 'kysely'
import { normaliseDomain } from '../../domain/domains.ts'
import { asConnectionId, asTenantId, type ConnectionId, type TenantId } from '../../domain/ids.ts'
import type {
  ConnectionChanges,
  ConnectionLookup,
  ConnectionRepository,
  ConnectionStatus,
  ConnectionWrite,
  LoginConnectionRecord,
} from '../store.ts'
import type { SqlContext } from './context.ts'
import type { LoginConnectionsTable } from './tables.ts'

export function toConnection(row: Selectable<LoginConnectionsTable>): LoginConnectionRecord {
  return {
    id: asConnectionId(row.id),
    tenantId: asTenantId(row.tenant_id),
    name: row.name,
    issuer: row.issuer,
    clientId: row.client_id,
    clientSecretEncrypted: row.client_secret_encrypted,
    domain: row.domain,
    status: row.status as ConnectionStatus,
    verifiedAt: row.verified_at,
    jitEnabled: row.jit_enabled === 1,
    emailClaims: JSON.parse(row.email_claims) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** Lookups across tenants. */
export class SqlConnectionLookup implements ConnectionLookup {
  constructor(private readonly ctx: SqlContext) {}

  async get(id: ConnectionId): Promise<LoginConnectionRecord | undefined> {
    const row = await this.ctx.reader
      .selectFrom('login_connections')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toConnection(row)
  }

  async byDomain(domain: string): Promise<LoginConnectionRecord | undefined> {
    const row = await this.ctx.reader
      .selectFrom('login_connections as c')
      .innerJoin('tenant_domains as d', (join) =>
        join.onRef('d.tenant_id', '=', 'c.tenant_id').onRef('d.domain_norm', '=', 'c.domain_norm'),
      )
      .selectAll('c')
      .where('c.domain_norm', '=', normaliseDomain(domain))
      .where('d.status', '=', 'verified')
      .executeTakeFirst()
    return row && toConnection(row)
  }
}

/** One tenant's connections. */
export class SqlConnections implements ConnectionRepository {
  constructor(
    private readonly ctx: SqlContext,
    private readonly tenantId: TenantId,
  ) {}

  async create(record: ConnectionWrite): Promise<LoginConnectionRecord> {
    const row = await this.ctx.db
      .insertInto('login_connections')
      .values({
        id: record.id,
        tenant_id: this.tenantId,
        name: record.name,
        issuer: record.issuer,
        client_id: record.clientId,
        client_secret_encrypted: record.clientSecretEncrypted,
        domain: record.domain,
        domain_norm: normaliseDomain(record.domain),
        status: record.status,
        verified_at: record.verifiedAt,
        jit_enabled: record.jitEnabled ? 1 : 0,
        email_claims: JSON.stringify(record.emailClaims),
        created_at: record.createdAt,
        updated_at: record.updatedAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toConnection(row)
  }

  async list(): Promise<LoginConnectionRecord[]> {
    const rows = await this.ctx.reader
      .selectFrom('login_connections')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toConnection)
  }

  async update(
    id: ConnectionId,
    changes: ConnectionChanges,
    at: string,
  ): Promise<LoginConnectionRecord | undefined> {
    const row = await this.ctx.db
      .updateTable('login_connections')
      .set({
        ...(changes.name === undefined ? {} : { name: changes.name }),
        ...(changes.issuer === undefined ? {} : { issuer: changes.issuer }),
        ...(changes.clientId === undefined ? {} : { client_id: changes.clientId }),
        ...(changes.clientSecretEncrypted === undefined
          ? {}
          : { client_secret_encrypted: changes.clientSecretEncrypted }),
        ...(changes.domain === undefined
          ? {}
          : { domain: changes.domain, domain_norm: normaliseDomain(changes.domain) }),
        ...(changes.status === undefined ? {} : { status: changes.status }),
        ...(changes.verifiedAt === undefined ? {} : { verified_at: changes.verifiedAt }),
        ...(changes.jitEnabled === undefined ? {} : { jit_enabled: changes.jitEnabled ? 1 : 0 }),
        ...(changes.emailClaims === undefined
          ? {}
          : { email_claims: JSON.stringify(changes.emailClaims) }),
        updated_at: at,
      })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
    return row && toConnection(row)
  }

  async delete(id: ConnectionId): Promise<boolean> {
    const result = await this.ctx.db
      .deleteFrom('login_connections')
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }
}

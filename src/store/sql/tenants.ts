// The tenants table: creating and finding tenants (service-wide), and a tenant's SCIM settings
// (reached through forTenant).
import type { Selectable } from 'kysely'
import { asTenantId, type TenantId } from '../../domain/ids.ts'
import type { Tenant } from '../../domain/types.ts'
import type { TenantRepository, TenantScimSettings } from '../store.ts'
import type { SqlContext } from './context.ts'
import type { TenantsTable } from './tables.ts'

export function toTenant(row: Selectable<TenantsTable>): Tenant {
  return {
    id: asTenantId(row.id),
    slug: row.slug,
    name: row.name,
    createdAt: row.created_at,
    scimStrictProfile: row.scim_strict_profile === 1,
    scimTokenId: row.scim_token_id,
    scimTokenIssuedAt: row.scim_token_issued_at,
  }
}

export class SqlTenants implements TenantRepository {
  constructor(private readonly ctx: SqlContext) {}

  async create(tenant: {
    id: TenantId
    slug: string
    name: string
    createdAt: string
  }): Promise<Tenant> {
    const row = await this.ctx.db
      .insertInto('tenants')
      .values({
        id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        scim_strict_profile: 0,
        scim_token_id: null,
        scim_token_issued_at: null,
        created_at: tenant.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toTenant(row)
  }

  async getBySlug(slug: string): Promise<Tenant | undefined> {
    const row = await this.ctx.reader
      .selectFrom('tenants')
      .selectAll()
      .where('slug', '=', slug)
      .executeTakeFirst()
    return row && toTenant(row)
  }

  getBySlugRecent(slug: string): Promise<Tenant | undefined> {
    // Outside a transaction only: inside one, the caller must see its own writes.
    if (this.ctx.db.isTransaction) return this.getBySlug(slug)
    return this.ctx.tenants.get(slug, () => this.getBySlug(slug))
  }

  async getById(id: TenantId): Promise<Tenant | undefined> {
    const row = await this.ctx.reader
      .selectFrom('tenants')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toTenant(row)
  }

  async list(): Promise<Tenant[]> {
    const rows = await this.ctx.reader.selectFrom('tenants').selectAll().orderBy('slug').execute()
    return rows.map(toTenant)
  }
}

export class SqlTenantScim implements TenantScimSettings {
  constructor(
    private readonly ctx: SqlContext,
    private readonly tenantId: TenantId,
  ) {}

  async setToken(tokenId: string | null, at: string): Promise<void> {
    this.ctx.tenants.invalidate(this.tenantId)
    await this.ctx.db
      .updateTable('tenants')
      .set({ scim_token_id: tokenId, scim_token_issued_at: tokenId === null ? null : at })
      .where('id', '=', this.tenantId)
      .execute()
  }

  async setStrictProfile(strict: boolean): Promise<void> {
    this.ctx.tenants.invalidate(this.tenantId)
    await this.ctx.db
      .updateTable('tenants')
      .set({ scim_strict_profile: strict ? 1 : 0 })
      .where('id', '=', this.tenantId)
      .execute()
  }
}

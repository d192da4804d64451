// The tenant_domains aggregate (verified domains, SPEC §1 D10): queries shared by both engines.
// Whether a domain is verified by two tenants is the database's to decide: a partial unique
// index on verified rows, so two verifications racing on two instances cannot both win.
import type { Selectable } from 'kysely'
import { normaliseDomain } from '../../domain/domains.ts'
import { asTenantId, type TenantId } from '../../domain/ids.ts'
import type {
  DomainOwnership,
  DomainRepository,
  DomainWrite,
  TenantDomainRecord,
} from '../store.ts'
import type { SqlContext } from './context.ts'
import type { TenantDomainsTable } from './tables.ts'

function toDomain(row: Selectable<TenantDomainsTable>): TenantDomainRecord {
  return {
    tenantId: asTenantId(row.tenant_id),
    domain: row.domain_norm,
    challenge: row.challenge,
    status: row.status === 'verified' ? 'verified' : 'pending',
    verifiedAt: row.verified_at,
    verifiedMethod:
      row.verified_method === 'dns' || row.verified_method === 'operator'
        ? row.verified_method
        : null,
    verifiedBy: row.verified_by,
    createdAt: row.created_at,
  }
}

/** Who verified a domain, across tenants. */
export class SqlDomainOwnership implements DomainOwnership {
  constructor(private readonly ctx: SqlContext) {}

  /** Reads through `db`: inside a transaction the answer must be the transaction's view. */
  async owner(domain: string): Promise<TenantId | undefined> {
    const row = await this.ctx.db
      .selectFrom('tenant_domains')
      .select('tenant_id')
      .where('domain_norm', '=', normaliseDomain(domain))
      .where('status', '=', 'verified')
      .executeTakeFirst()
    return row && asTenantId(row.tenant_id)
  }
}

/** One tenant's domains. */
export class SqlDomains implements DomainRepository {
  constructor(
    private readonly ctx: SqlContext,
    private readonly tenantId: TenantId,
  ) {}

  async add(record: DomainWrite): Promise<TenantDomainRecord> {
    const row = await this.ctx.db
      .insertInto('tenant_domains')
      .values({
        tenant_id: this.tenantId,
        domain_norm: normaliseDomain(record.domain),
        challenge: record.challenge,
        status: record.status,
        verified_at: record.verifiedAt,
        verified_method: record.verifiedMethod,
        verified_by: record.verifiedBy,
        created_at: record.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toDomain(row)
  }

  async get(domain: string): Promise<TenantDomainRecord | undefined> {
    const row = await this.ctx.reader
      .selectFrom('tenant_domains')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('domain_norm', '=', normaliseDomain(domain))
      .executeTakeFirst()
    return row && toDomain(row)
  }

  async list(): Promise<TenantDomainRecord[]> {
    const rows = await this.ctx.reader
      .selectFrom('tenant_domains')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('domain_norm')
      .execute()
    return rows.map(toDomain)
  }

  async markVerified(
    domain: string,
    verification: { at: string; method: 'dns' | 'operator'; by: string },
  ): Promise<TenantDomainRecord | undefined> {
    const row = await this.ctx.db
      .updateTable('tenant_domains')
      .set({
        status: 'verified',
        verified_at: verification.at,
        verified_method: verification.method,
        verified_by: verification.by,
      })
      .where('tenant_id', '=', this.tenantId)
      .where('domain_norm', '=', normaliseDomain(domain))
      .returningAll()
      .executeTakeFirst()
    return row && toDomain(row)
  }

  async remove(domain: string): Promise<boolean> {
    const result = await this.ctx.db
      .deleteFrom('tenant_domains')
      .where('tenant_id', '=', this.tenantId)
      .where('domain_norm', '=', normaliseDomain(domain))
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }
}

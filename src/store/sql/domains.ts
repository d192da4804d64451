// The tenant_domains aggregate (verified domains, SPEC §1 D10): queries shared by both engines.
// Whether a domain is verified by two tenants is the database's to decide: a partial unique
// index on verified rows, so two verifications racing on two instances cannot both win.
import type { Kysely, Selectable } from 'kysely'
import { normaliseDomain } from '../../domain/domains.ts'
import type { TenantDomainRecord } from '../store.ts'
import type { Database, TenantDomainsTable } from './tables.ts'

function toDomain(row: Selectable<TenantDomainsTable>): TenantDomainRecord {
  return {
    tenantId: row.tenant_id,
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

export class DomainQueries {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly reader: Kysely<Database>,
  ) {}

  async add(record: TenantDomainRecord): Promise<TenantDomainRecord> {
    const row = await this.db
      .insertInto('tenant_domains')
      .values({
        tenant_id: record.tenantId,
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

  async get(tenantId: string, domain: string): Promise<TenantDomainRecord | undefined> {
    const row = await this.reader
      .selectFrom('tenant_domains')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('domain_norm', '=', normaliseDomain(domain))
      .executeTakeFirst()
    return row && toDomain(row)
  }

  async list(tenantId: string): Promise<TenantDomainRecord[]> {
    const rows = await this.reader
      .selectFrom('tenant_domains')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('domain_norm')
      .execute()
    return rows.map(toDomain)
  }

  async markVerified(
    tenantId: string,
    domain: string,
    verification: { at: string; method: 'dns' | 'operator'; by: string },
  ): Promise<TenantDomainRecord | undefined> {
    const row = await this.db
      .updateTable('tenant_domains')
      .set({
        status: 'verified',
        verified_at: verification.at,
        verified_method: verification.method,
        verified_by: verification.by,
      })
      .where('tenant_id', '=', tenantId)
      .where('domain_norm', '=', normaliseDomain(domain))
      .returningAll()
      .executeTakeFirst()
    return row && toDomain(row)
  }

  async remove(tenantId: string, domain: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('tenant_domains')
      .where('tenant_id', '=', tenantId)
      .where('domain_norm', '=', normaliseDomain(domain))
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  /** Reads through `db`: inside a transaction the answer must be the transaction's view. */
  async owner(domain: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('tenant_domains')
      .select('tenant_id')
      .where('domain_norm', '=', normaliseDomain(domain))
      .where('status', '=', 'verified')
      .executeTakeFirst()
    return row?.tenant_id
  }
}

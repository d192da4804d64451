// The api_keys table: the host application's API keys, found by id (the key's hash is compared by
// the caller, in constant time).
import type { Selectable } from 'kysely'
import { asTenantId } from '../../domain/ids.ts'
import type { ApiKeyRecord, ApiKeyRepository, ApiKeyScope, NewApiKey } from '../store.ts'
import type { SqlContext } from './context.ts'
import type { ApiKeysTable } from './tables.ts'

function toApiKey(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id === null ? null : asTenantId(row.tenant_id),
    scope: row.scope as ApiKeyScope,
    name: row.name,
    keyHash: row.key_hash,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    lastUsedAddress: row.last_used_address,
    revokedAt: row.revoked_at,
  }
}

export class SqlApiKeys implements ApiKeyRepository {
  constructor(private readonly ctx: SqlContext) {}

  async create(key: NewApiKey): Promise<ApiKeyRecord> {
    const row = await this.ctx.db
      .insertInto('api_keys')
      .values({
        id: key.id,
        tenant_id: key.tenantId,
        scope: key.scope,
        name: key.name,
        key_hash: key.keyHash,
        created_at: key.createdAt,
        last_used_at: null,
        last_used_address: null,
        revoked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toApiKey(row)
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.ctx.reader
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toApiKey(row)
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.ctx.reader
      .selectFrom('api_keys')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toApiKey)
  }

  async recordUse(
    id: string,
    at: string,
    address: string | null,
    notBefore: string,
  ): Promise<boolean> {
    const result = await this.ctx.db
      .updateTable('api_keys')
      .set({ last_used_at: at, last_used_address: address })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', notBefore)]))
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async revoke(id: string, at: string): Promise<boolean> {
    await this.ctx.db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute()
    const row = await this.ctx.db
      .selectFrom('api_keys')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst()
    return row !== undefined
  }
}

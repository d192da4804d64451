// The oidc_clients and oidc_keys tables: the host application's OIDC clients, registered by the
// operator, and the provider's signing keys (the newest signs; a replaced one stays published
// until it retires, so tokens it signed still verify).
import { sql, type Selectable } from 'kysely'
import type {
  OidcClientRecord,
  OidcClientRepository,
  OidcKeyRecord,
  OidcKeyRepository,
} from '../store.ts'
import type { SqlContext } from './context.ts'
import type { OidcClientsTable, OidcKeysTable } from './tables.ts'

function toClient(row: Selectable<OidcClientsTable>): OidcClientRecord {
  return {
    id: row.id,
    name: row.name,
    secretSealed: row.secret_sealed,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    createdAt: row.created_at,
  }
}

export class SqlOidcClients implements OidcClientRepository {
  constructor(private readonly ctx: SqlContext) {}

  async insert(client: OidcClientRecord): Promise<void> {
    await this.ctx.db
      .insertInto('oidc_clients')
      .values({
        id: client.id,
        name: client.name,
        secret_sealed: client.secretSealed,
        redirect_uris: JSON.stringify(client.redirectUris),
        created_at: client.createdAt,
      })
      .execute()
  }

  async get(id: string): Promise<OidcClientRecord | undefined> {
    const row = await this.ctx.reader
      .selectFrom('oidc_clients')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toClient(row)
  }

  async list(): Promise<OidcClientRecord[]> {
    const rows = await this.ctx.reader
      .selectFrom('oidc_clients')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toClient)
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.ctx.db
      .deleteFrom('oidc_clients')
      .where('id', '=', id)
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }
}

function toKey(row: Selectable<OidcKeysTable>): OidcKeyRecord {
  return {
    id: row.id,
    privateJwkSealed: row.private_jwk_sealed,
    createdAt: row.created_at,
    retiresAt: row.retires_at,
  }
}

async function liveKeys(
  ctx: SqlContext,
  now: string,
  reader = ctx.reader,
): Promise<OidcKeyRecord[]> {
  const rows = await reader
    .selectFrom('oidc_keys')
    .selectAll()
    .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', now)]))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  return rows.map(toKey)
}

function insertKey(ctx: SqlContext, key: OidcKeyRecord) {
  return ctx.db
    .insertInto('oidc_keys')
    .values({
      id: key.id,
      private_jwk_sealed: key.privateJwkSealed,
      created_at: key.createdAt,
      retires_at: key.retiresAt,
    })
    .execute()
}

export class SqlOidcKeys implements OidcKeyRepository {
  constructor(
    private readonly ctx: SqlContext,
    /** Runs fn in one transaction of the store (group-committed on SQLite). */
    private readonly inTransaction: <T>(fn: (ctx: SqlContext) => Promise<T>) => Promise<T>,
  ) {}

  live(now: string): Promise<OidcKeyRecord[]> {
    return liveKeys(this.ctx, now)
  }

  insertFirst(key: OidcKeyRecord, now: string): Promise<OidcKeyRecord[]> {
    // Instances starting together: the check and the insert under one lock (PostgreSQL; SQLite
    // has one writer), so exactly one key is created.
    return this.inTransaction(async (ctx) => {
      if (ctx.dialect.name === 'postgres')
        await sql`select pg_advisory_xact_lock(7365021913)`.execute(ctx.db)
      if ((await liveKeys(ctx, now, ctx.db)).length === 0) await insertKey(ctx, key)
      return liveKeys(ctx, now, ctx.db)
    })
  }

  rotate(key: OidcKeyRecord, retireAt: string, now: string): Promise<OidcKeyRecord[]> {
    return this.inTransaction(async (ctx) => {
      if (ctx.dialect.name === 'postgres')
        await sql`select pg_advisory_xact_lock(7365021913)`.execute(ctx.db)
      await ctx.db.deleteFrom('oidc_keys').where('retires_at', '<=', now).execute()
      await ctx.db
        .updateTable('oidc_keys')
        .set({ retires_at: retireAt })
        .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', retireAt)]))
        .execute()
      await insertKey(ctx, key)
      return liveKeys(ctx, now, ctx.db)
    })
  }
}

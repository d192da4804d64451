// The signing_keys table: the service's one key for SCIM tokens, created once by whichever
// process starts first.
import { sql, type Selectable } from 'kysely'
import type { SigningKeyRecord, SigningKeyRepository } from '../store.ts'
import type { SqlContext } from './context.ts'
import type { SigningKeysTable } from './tables.ts'

function toSigningKey(row: Selectable<SigningKeysTable>): SigningKeyRecord {
  return {
    id: row.id,
    algorithm: row.algorithm,
    publicJwk: row.public_jwk,
    privateKeyEncrypted: row.private_key_encrypted,
    createdAt: row.created_at,
  }
}

async function firstKey(ctx: SqlContext): Promise<SigningKeyRecord | undefined> {
  const row = await ctx.reader
    .selectFrom('signing_keys')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst()
  return row && toSigningKey(row)
}

export class SqlSigningKeys implements SigningKeyRepository {
  constructor(
    private readonly ctx: SqlContext,
    /** Runs fn in one transaction of the store (group-committed on SQLite). */
    private readonly inTransaction: <T>(fn: (ctx: SqlContext) => Promise<T>) => Promise<T>,
  ) {}

  get(): Promise<SigningKeyRecord | undefined> {
    return firstKey(this.ctx)
  }

  async insert(key: SigningKeyRecord): Promise<SigningKeyRecord> {
    // Two processes starting at once may both create a key: the insert happens only when the
    // table is empty, inside a transaction that (on PostgreSQL) holds a lock for the check.
    return this.inTransaction(async (ctx) => {
      const trx = ctx.db
      if (ctx.dialect.name === 'postgres')
        await sql`select pg_advisory_xact_lock(7365021902)`.execute(trx)
      const existing = await trx.selectFrom('signing_keys').select('id').executeTakeFirst()
      if (!existing) {
        await trx
          .insertInto('signing_keys')
          .values({
            id: key.id,
            algorithm: key.algorithm,
            public_jwk: key.publicJwk,
            private_key_encrypted: key.privateKeyEncrypted,
            created_at: key.createdAt,
          })
          .execute()
      }
      const stored = await firstKey(ctx)
      if (!stored) throw new Error('signing key was not stored')
      return stored
    })
  }
}

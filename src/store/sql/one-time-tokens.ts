// The one_time_tokens table (verify-connection and set-password links): issued for one tenant,
// found and used up by the hash of the token, which is all the link's holder has.
import type { Selectable } from 'kysely'
import type { TenantId } from '../../domain/ids.ts'
import type {
  OneTimeTokenLookup,
  OneTimeTokenOf,
  OneTimeTokenPurpose,
  OneTimeTokenRecord,
  OneTimeTokenRepository,
  OneTimeTokenWrite,
} from '../store.ts'
import type { SqlContext } from './context.ts'
import type { OneTimeTokensTable } from './tables.ts'

// The row was written by insert() below with the subject's kind following the purpose, and it is
// read back only for the purpose the caller asked for.
function toOneTimeToken<P extends OneTimeTokenPurpose>(
  row: Selectable<OneTimeTokensTable>,
): OneTimeTokenOf<P> {
  const record = {
    tokenHash: row.token_hash,
    purpose: row.purpose,
    tenantId: row.tenant_id,
    subjectId: row.subject_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  }
  return record as OneTimeTokenRecord as OneTimeTokenOf<P>
}

/** Tokens by hash, whatever their tenant. */
export class SqlOneTimeTokenLookup implements OneTimeTokenLookup {
  constructor(private readonly ctx: SqlContext) {}

  async find<P extends OneTimeTokenPurpose>(
    tokenHash: string,
    purpose: P,
    now: string,
  ): Promise<OneTimeTokenOf<P> | undefined> {
    const row = await this.ctx.reader
      .selectFrom('one_time_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('purpose', '=', purpose)
      .where('expires_at', '>', now)
      .executeTakeFirst()
    return row && toOneTimeToken<P>(row)
  }

  async consume<P extends OneTimeTokenPurpose>(
    tokenHash: string,
    purpose: P,
    now: string,
  ): Promise<OneTimeTokenOf<P> | undefined> {
    const row = await this.ctx.db
      .deleteFrom('one_time_tokens')
      .where('token_hash', '=', tokenHash)
      .where('purpose', '=', purpose)
      .returningAll()
      .executeTakeFirst()
    if (!row || row.expires_at <= now) return undefined
    return toOneTimeToken<P>(row)
  }

  async pruneExpired(now: string): Promise<void> {
    await this.ctx.db.deleteFrom('one_time_tokens').where('expires_at', '<=', now).execute()
  }
}

/** Issuing tokens for one tenant. */
export class SqlOneTimeTokens implements OneTimeTokenRepository {
  constructor(
    private readonly ctx: SqlContext,
    private readonly tenantId: TenantId,
  ) {}

  async insert(record: OneTimeTokenWrite): Promise<void> {
    await this.ctx.db
      .insertInto('one_time_tokens')
      .values({
        token_hash: record.tokenHash,
        purpose: record.purpose,
        tenant_id: this.tenantId,
        subject_id: record.subjectId,
        created_at: record.createdAt,
        expires_at: record.expiresAt,
      })
      .execute()
  }
}

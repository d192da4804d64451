// The oidc_models table: oidc-provider's models (one row per kind and id, the payload as JSON),
// found by id, interaction uid or user code until they expire; expired rows are pruned.
import type { Selectable } from 'kysely'
import type { OidcModelRecord, OidcModelRepository, StoredOidcModel } from '../store.ts'
import type { SqlContext } from './context.ts'
import type { OidcModelsTable } from './tables.ts'

function toStored(row: Pick<Selectable<OidcModelsTable>, 'payload' | 'consumed'>): StoredOidcModel {
  return { payload: row.payload, consumed: row.consumed === null ? null : Number(row.consumed) }
}

async function findBy(
  ctx: SqlContext,
  kind: string,
  column: 'id' | 'uid' | 'user_code',
  value: string,
  now: string,
): Promise<StoredOidcModel | undefined> {
  const row = await ctx.reader
    .selectFrom('oidc_models')
    .select(['payload', 'consumed'])
    .where('kind', '=', kind)
    .where(column, '=', value)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst()
  return row && toStored(row)
}

export class SqlOidcModels implements OidcModelRepository {
  constructor(private readonly ctx: SqlContext) {}

  async upsert(model: OidcModelRecord): Promise<void> {
    const values = {
      payload: model.payload,
      grant_id: model.grantId,
      user_code: model.userCode,
      uid: model.uid,
      consumed: null,
      expires_at: model.expiresAt,
    }
    await this.ctx.db
      .insertInto('oidc_models')
      .values({ kind: model.kind, id: model.id, ...values })
      .onConflict((oc) => oc.columns(['kind', 'id']).doUpdateSet(values))
      .execute()
  }

  find(kind: string, id: string, now: string): Promise<StoredOidcModel | undefined> {
    return findBy(this.ctx, kind, 'id', id, now)
  }

  findByUid(kind: string, uid: string, now: string): Promise<StoredOidcModel | undefined> {
    return findBy(this.ctx, kind, 'uid', uid, now)
  }

  findByUserCode(
    kind: string,
    userCode: string,
    now: string,
  ): Promise<StoredOidcModel | undefined> {
    return findBy(this.ctx, kind, 'user_code', userCode, now)
  }

  async consume(kind: string, id: string, at: number): Promise<boolean> {
    const result = await this.ctx.db
      .updateTable('oidc_models')
      .set({ consumed: at })
      .where('kind', '=', kind)
      .where('id', '=', id)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async destroy(kind: string, id: string): Promise<void> {
    await this.ctx.db
      .deleteFrom('oidc_models')
      .where('kind', '=', kind)
      .where('id', '=', id)
      .execute()
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.ctx.db.deleteFrom('oidc_models').where('grant_id', '=', grantId).execute()
  }

  async pruneExpired(now: string): Promise<number> {
    const result = await this.ctx.db
      .deleteFrom('oidc_models')
      .where('expires_at', '<=', now)
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}

// The login_failures table: failed local sign-ins under throttling keys (an account, a client
// address), counted over a sliding window.
import { sql } from 'kysely'
import type { LoginFailureRepository } from '../store.ts'
import type { SqlContext } from './context.ts'

export class SqlLoginFailures implements LoginFailureRepository {
  constructor(private readonly ctx: SqlContext) {}

  async record(keys: readonly string[], at: string): Promise<void> {
    if (keys.length === 0) return
    await this.ctx.db
      .insertInto('login_failures')
      .values(keys.map((key) => ({ key, at })))
      .execute()
  }

  async count(
    key: string,
    since: string,
  ): Promise<{ count: number; oldestAt: string | null; latestAt: string | null }> {
    const row = await this.ctx.reader
      .selectFrom('login_failures')
      .select([
        sql<number | string>`count(*)`.as('n'),
        sql<string | null>`min(at)`.as('oldest'),
        sql<string | null>`max(at)`.as('latest'),
      ])
      .where('key', '=', key)
      .where('at', '>=', since)
      .executeTakeFirstOrThrow()
    return { count: Number(row.n), oldestAt: row.oldest ?? null, latestAt: row.latest ?? null }
  }

  async clear(key: string): Promise<void> {
    await this.ctx.db.deleteFrom('login_failures').where('key', '=', key).execute()
  }

  async pruneBefore(before: string): Promise<void> {
    await this.ctx.db.deleteFrom('login_failures').where('at', '<', before).execute()
  }
}

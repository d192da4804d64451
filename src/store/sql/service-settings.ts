// The service_settings table: service-wide key/value settings (e.g. the public URL the server
// records at start for the CLI); the last writer wins.
import type { ServiceSettingRecord, ServiceSettingRepository } from '../store.ts'
import type { SqlContext } from './context.ts'

export class SqlServiceSettings implements ServiceSettingRepository {
  constructor(private readonly ctx: SqlContext) {}

  async get(key: string): Promise<ServiceSettingRecord | undefined> {
    const row = await this.ctx.reader
      .selectFrom('service_settings')
      .select(['key', 'value', 'updated_at'])
      .where('key', '=', key)
      .executeTakeFirst()
    return row && { key: row.key, value: row.value, updatedAt: row.updated_at }
  }

  async set(key: string, value: string, at: string): Promise<void> {
    await this.ctx.db
      .insertInto('service_settings')
      .values({ key, value, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
      .execute()
  }
}

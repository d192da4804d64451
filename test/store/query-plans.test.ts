// Store queries whose cost must not grow with the tenant: their SQLite plans use the intended
// index (SQLite has no statistics here, so a plan can silently become a scan).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from '../../src/store/sql/tables.ts'
import { sqliteDialect } from '../../src/store/sqlite/dialect.ts'
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.ts'
import { firstPageSelect } from '../../src/store/sql/user-reads.ts'

describe('SQLite query plans', () => {
  it('looks up the groups of users through group_members_member_ix, not a scan of the tenant', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'rollcall-plans-'))
    t.after(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'plans.sqlite')
    const store = openSqliteStore(file)
    await store.migrate()
    await store.close()
    const database = new BetterSqlite3(file)
    t.after(() => database.close())
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) })
    // The query of SqlTenantStore.groupsOfUsers.
    const query = db
      .selectFrom('group_members as m')
      .innerJoin('groups as g', (join) =>
        join.onRef('g.tenant_id', '=', 'm.tenant_id').onRef('g.id', '=', 'm.group_id'),
      )
      .select(['m.member_id', 'g.id', 'g.display_name'])
      .where('m.tenant_id', '=', 't')
      .where('m.member_id', 'in', ['u1', 'u2'])
      .compile()
    const plan = database
      .prepare(`explain query plan ${query.sql}`)
      .all(...(query.parameters as unknown[]))
      .map((row) => (row as { detail: string }).detail)
    assert.match(
      plan[0] ?? '',
      /group_members_member_ix \(tenant_id=\? AND member_id=\?\)/,
      plan.join(' | '),
    )
  })

  it('looks a user up by userName with its groups through indexes only', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'rollcall-plans-'))
    t.after(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'plans.sqlite')
    const store = openSqliteStore(file)
    await store.migrate()
    await store.close()
    const database = new BetterSqlite3(file)
    t.after(() => database.close())
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) })
    const query = firstPageSelect(
      { reader: db, dialect: sqliteDialect },
      true,
      { kind: 'compare', path: { attr: 'userName' }, op: 'eq', value: 'ada@example.com' },
      100,
      { text: () => 't', number: () => 100 },
    ).compile()
    const plan = database
      .prepare(`explain query plan ${query.sql}`)
      .all(...(query.parameters as unknown[]))
      .map((row) => (row as { detail: string }).detail)
    const text = plan.join(' | ')
    assert.match(text, /SEARCH u USING INDEX tenant_users_user_name_uq/, text)
    assert.match(text, /group_members_member_ix \(tenant_id=\? AND member_id=\?\)/, text)
    assert.doesNotMatch(text, /SCAN|TEMP B-TREE/, text)
  })
})

// Pages at random startIndex (served from cached milestones, sql/page-milestones.ts) return exactly
// the rows and the total an OFFSET query and a COUNT return, also right after another store
// instance on the same database (another process's connection, another PostgreSQL instance)
// inserted or deleted rows, and after a transaction that wrote and rolled back.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { newGroupId, newTenantId, newUserId, type TenantId } from '../../src/domain/ids.ts'
import { openPostgresStore } from '../../src/store/postgres/open-postgres.ts'
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.ts'
import type { Store } from '../../src/store/store.ts'
import { createTestSchema, postgresSkipReason } from '../support/postgres.ts'
import { at, groupWrite, userWrite } from './contract/support.ts'

interface Engine {
  /** Two stores (two instances) on one fresh database. */
  open(t: TestContext): Promise<{ one: Store; two: Store; ids: Reference }>
}

/** The ids in id order, read by a plain query on a connection of its own: the reference. */
type Reference = (table: 'tenant_users' | 'groups', tenantId: TenantId) => Promise<string[]>

const sqlite: Engine = {
  async open(t) {
    const dir = mkdtempSync(join(tmpdir(), 'rollcall-milestones-'))
    const file = join(dir, 'rollcall.sqlite')
    const one = openSqliteStore(file)
    await one.migrate()
    const two = openSqliteStore(file)
    const raw = new BetterSqlite3(file, { readonly: true })
    t.after(async () => {
      raw.close()
      await one.close()
      await two.close()
      rmSync(dir, { recursive: true, force: true })
    })
    return {
      one,
      two,
      ids: async (table, tenantId) => {
        const id = table === 'groups' ? 'id' : 'user_id'
        const rows = raw
          .prepare(`select ${id} as id from ${table} where tenant_id = ? order by ${id}`)
          .all(tenantId) as { id: string }[]
        return rows.map((r) => r.id)
      },
    }
  },
}

const postgres: Engine = {
  async open(t) {
    const schema = await createTestSchema()
    const one = openPostgresStore(schema.url, 2)
    await one.migrate()
    const two = openPostgresStore(schema.url, 2)
    const raw = new pg.Client({ connectionString: schema.url })
    await raw.connect()
    t.after(async () => {
      await raw.end()
      await one.close()
      await two.close()
      await schema.drop()
    })
    return {
      one,
      two,
      ids: async (table, tenantId) => {
        const id = table === 'groups' ? 'id' : 'user_id'
        const result = await raw.query<{ id: string }>(
          `select ${id} as id from ${table} where tenant_id = $1 order by ${id}`,
          [tenantId],
        )
        return result.rows.map((r) => r.id)
      },
    }
  },
}

async function seed(store: Store, users: number, groups: number) {
  const tenant = await store.tenants.create({
    id: newTenantId(),
    slug: `t${Math.random().toString(36).slice(2, 8)}`,
    name: 'Milestones',
    createdAt: at(0),
  })
  const other = await store.tenants.create({
    id: newTenantId(),
    slug: `o${Math.random().toString(36).slice(2, 8)}`,
    name: 'Other',
    createdAt: at(0),
  })
  await store.transaction(async (tx) => {
    for (const [tenantId, n] of [
      [tenant.id, users],
      [other.id, 50],
    ] as const) {
      const ts = tx.forTenant(tenantId)
      for (let i = 0; i < n; i++) await addUser(tx, tenantId, `u${i}@example.com`)
      for (let i = 0; i < groups; i++) {
        await ts.groups.insert(newGroupId(), groupWrite(`Group ${i}`), 'SCIM', at(1))
      }
    }
  })
  return tenant.id
}

async function addUser(store: Store, tenantId: TenantId, userName: string) {
  const id = newUserId()
  const ts = store.forTenant(tenantId)
  await ts.users.insertIdentity(id, null, at(1))
  return ts.users.insert(id, userWrite(userName), { origin: 'SCIM', role: 'Viewer' }, at(1))
}

/** Deterministic, so that a failure replays. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

/** Start indexes that continue an earlier full page (shared by a test's calls). */
const continued = new Set<number>()

function fullPage(startIndex: number, count: number, total: number): boolean {
  return count > 0 && startIndex - 1 + count <= total
}

async function assertPages(
  store: Store,
  tenantId: TenantId,
  reference: Reference,
  next: () => number,
  pages: number,
): Promise<void> {
  const ts = store.forTenant(tenantId)
  const allUsers = await reference('tenant_users', tenantId)
  const allGroups = await reference('groups', tenantId)
  for (let i = 0; i < pages; i++) {
    for (const [all, list] of [
      [allUsers, (q: Parameters<typeof ts.users.list>[0]) => ts.users.list(q)],
      [allGroups, (q: Parameters<typeof ts.groups.list>[0]) => ts.groups.list(q)],
    ] as const) {
      const count = Math.floor(next() * 120)
      let startIndex = 1 + Math.floor(next() * (all.length + 5))
      // A page that starts where an earlier one ended continues that walk after its last id,
      // by design (the paging contract), not at the offset: keep to pages no walk leads to.
      while (continued.has(startIndex)) startIndex += 1
      if (fullPage(startIndex, count, all.length)) continued.add(startIndex + count)
      const page = await list({ sortOrder: 'ascending', startIndex, count })
      const expected = all.slice(startIndex - 1, startIndex - 1 + count)
      assert.deepEqual(
        { total: page.totalResults, ids: page.items.map((item) => item.id) },
        { total: all.length, ids: expected },
        `startIndex ${startIndex}, count ${count}`,
      )
    }
  }
}

for (const [name, engine] of [
  ['SQLite', sqlite],
  ['PostgreSQL', postgres],
] as const) {
  describe(`random pages (${name})`, async () => {
    const skip = name === 'PostgreSQL' ? await postgresSkipReason() : false

    it(
      'match OFFSET and COUNT, also after another instance inserts and deletes',
      { skip },
      async (t) => {
        const { one, two, ids } = await engine.open(t)
        const tenantId = await seed(one, 400, 150)
        const next = random(7)
        await assertPages(one, tenantId, ids, next, 20)
        for (let round = 0; round < 4; round++) {
          // The other instance writes; this one's milestones are now behind.
          const added = await addUser(two, tenantId, `new${round}@example.com`)
          await two
            .forTenant(tenantId)
            .groups.insert(newGroupId(), groupWrite(`New ${round}`), 'SCIM', at(2))
          const doomed = (await ids('tenant_users', tenantId))[Math.floor(next() * 300)]
          if (doomed !== undefined && doomed !== added.id) {
            await two.forTenant(tenantId).users.delete(doomed as never)
          }
          const group = (await ids('groups', tenantId))[Math.floor(next() * 100)]
          if (group !== undefined) await two.forTenant(tenantId).groups.delete(group as never)
          await assertPages(one, tenantId, ids, next, 10)
        }
      },
    )

    it('a walk continues after its last id and tells the total of now', { skip }, async (t) => {
      const { one, two, ids } = await engine.open(t)
      const tenantId = await seed(one, 300, 0)
      const ts = one.forTenant(tenantId)
      const first = await ts.users.list({ sortOrder: 'ascending', startIndex: 1, count: 100 })
      assert.equal(first.totalResults, 300)
      // Another instance adds two users and deletes one the walk has already passed.
      await addUser(two, tenantId, 'late1@example.com')
      await addUser(two, tenantId, 'late2@example.com')
      await two.forTenant(tenantId).users.delete(first.items[0]!.id as never)
      const second = await ts.users.list({ sortOrder: 'ascending', startIndex: 101, count: 100 })
      const all = await ids('tenant_users', tenantId)
      assert.equal(second.totalResults, 301)
      // After the last id of the first page: no row skipped because an earlier one went.
      const after = all.indexOf(first.items[99]!.id)
      assert.deepEqual(
        second.items.map((item) => item.id),
        all.slice(after + 1, after + 101),
      )
    })

    it('are not changed by a transaction that wrote and rolled back', { skip }, async (t) => {
      const { one, ids } = await engine.open(t)
      const tenantId = await seed(one, 200, 10)
      const next = random(11)
      await assertPages(one, tenantId, ids, next, 5)
      await assert.rejects(
        one.transaction(async (tx) => {
          await addUser(tx, tenantId, 'gone@example.com')
          // Read inside the transaction: sees its own row, and must not cache it.
          const page = await tx.forTenant(tenantId).users.list({
            sortOrder: 'ascending',
            startIndex: 150,
            count: 100,
          })
          assert.equal(page.totalResults, 201)
          throw new Error('roll back')
        }),
        /roll back/,
      )
      await assertPages(one, tenantId, ids, next, 10)
    })
  })
}

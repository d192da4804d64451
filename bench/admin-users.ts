// `npx tsx bench/admin-users.ts`: the cost of the admin API's user list (users.search) at the store,
// for N users in one tenant on a fresh SQLite file (or, with --database-url postgres://…, a fresh
// PostgreSQL database, dropped afterwards): the first page (and its COUNT), searches that match
// many, one and none, the origin/role/status filters, and a deep page by cursor.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { newTenantId, newUserId, type UserId } from '../src/domain/ids.ts'
import type { UserSearch } from '../src/store/store.ts'
import { openPostgresStore } from '../src/store/postgres/open-postgres.ts'
import { openSqliteStore } from '../src/store/sqlite/open-sqlite.ts'
import { createFreshDatabase, dropDatabase } from './database.ts'

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    'database-url': { type: 'string' },
  },
})
const users = Number(values.users)
const databaseUrl = values['database-url']
const dir = mkdtempSync(join(tmpdir(), 'rollcall-admin-users-'))
const fresh = databaseUrl ? await createFreshDatabase(databaseUrl) : undefined
const store = fresh
  ? openPostgresStore(fresh.url, 4)
  : openSqliteStore(join(dir, 'admin-users.sqlite'))
try {
  await store.migrate()
  const at = new Date().toISOString()
  const tenant = await store.tenants.create({
    id: newTenantId(),
    slug: 'bench',
    name: 'bench',
    createdAt: at,
  })
  let middle: UserId | undefined
  for (let i = 0; i < users; i += 1000) {
    await store.transaction(async (tx) => {
      const ts = tx.forTenant(tenant.id)
      for (let j = i; j < Math.min(users, i + 1000); j++) {
        const id = newUserId()
        if (j === Math.floor(users / 2)) middle = id
        const userName = `user${j}@bench.example`
        await ts.users.insertIdentity(id, userName, at)
        await ts.users.insert(
          id,
          {
            userName,
            externalId: null,
            displayName: `User ${j}`,
            active: j % 10 !== 0,
            doc: { userName, active: j % 10 !== 0 },
            emails: [],
          },
          // 1% INTERNAL, 0.1% Admin: the rare filters scan furthest.
          {
            origin: j % 100 === 0 ? 'INTERNAL' : 'SCIM',
            role: j % 1000 === 0 ? 'Admin' : 'Viewer',
          },
          at,
        )
      }
    })
  }
  const ts = store.forTenant(tenant.id)
  const time = async (label: string, query: UserSearch, reps = 10) => {
    await ts.users.search(query)
    const started = process.hrtime.bigint()
    for (let i = 0; i < reps; i++) await ts.users.search(query)
    const ms = Number(process.hrtime.bigint() - started) / 1e6 / reps
    console.log(`| ${label} | ${ms.toFixed(1)} |`)
  }
  const engine = fresh ? 'PostgreSQL' : 'SQLite'
  console.log(`\n${users} users, 50 a page, ${engine}; ms per page (mean of 10)\n`)
  console.log('| page | ms |\n| --- | ---: |')
  await time('first page, no filter (with COUNT)', { limit: 50 })
  await time('deep page by cursor (middle)', { limit: 50, after: middle })
  await time('search "user4" (many match)', { text: 'user4', limit: 50 })
  await time('search "user77777@" (one)', { text: 'user77777@', limit: 50 })
  await time('search "nobody" (none)', { text: 'nobody', limit: 50 })
  await time('origin INTERNAL (1%)', { origin: 'INTERNAL', limit: 50 })
  await time('role Admin (0.1%)', { role: 'Admin', limit: 50 })
  await time('status disabled (10%)', { active: false, limit: 50 })
} finally {
  await store.close()
  if (fresh && databaseUrl) await dropDatabase(databaseUrl, fresh.name)
  rmSync(dir, { recursive: true, force: true })
}

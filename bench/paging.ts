// `npm run bench:paging`: the cost of SCIM list pages at depth, at the store (no HTTP): the first
// page (with its COUNT), a cold deep page, every page of an in-order walk, a warm deep page, and
// a userName lookup, for N users in one tenant on a fresh SQLite file.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { newTenantId, newUserId } from '../src/domain/ids.ts'
import { parseFilter } from '../src/scim/filter/parser.ts'
import type { ListQuery } from '../src/store/store.ts'
import { openSqliteStore } from '../src/store/sqlite/open-sqlite.ts'

const { values } = parseArgs({ options: { users: { type: 'string', default: '100000' } } })
const users = Number(values.users)
const dir = mkdtempSync(join(tmpdir(), 'rollcall-paging-'))
const store = openSqliteStore(join(dir, 'paging.sqlite'))
try {
  await store.migrate()
  const at = new Date().toISOString()
  const tenant = await store.tenants.create({
    id: newTenantId(),
    slug: 'paging',
    name: 'paging',
    createdAt: at,
  })
  for (let i = 0; i < users; i += 1000) {
    await store.transaction(async (tx) => {
      const ts = tx.forTenant(tenant.id)
      for (let j = i; j < Math.min(users, i + 1000); j++) {
        const id = newUserId()
        const userName = `user${j}@paging.example`
        await ts.users.insertIdentity(id, userName, at)
        await ts.users.insert(
          id,
          {
            userName,
            externalId: null,
            displayName: `User ${j}`,
            active: j % 3 !== 0,
            doc: { userName, active: j % 3 !== 0 },
            emails: [],
          },
          { origin: 'SCIM', role: 'Viewer' },
          at,
        )
      }
    })
  }
  const ts = store.forTenant(tenant.id)
  const page = (startIndex: number, filter?: string): ListQuery => ({
    sortOrder: 'ascending',
    startIndex,
    count: 100,
    ...(filter ? { filter: parseFilter(filter) } : {}),
  })
  const time = async (label: string, query: ListQuery, reps = 20) => {
    const started = process.hrtime.bigint()
    for (let i = 0; i < reps; i++) await ts.users.list(query)
    const ms = Number(process.hrtime.bigint() - started) / 1e6 / reps
    console.log(`| ${label} | ${ms.toFixed(2)} |`)
  }
  console.log(`Paging over ${users} users (SQLite, count=100), ms per page:\n`)
  console.log('| page | ms |\n| :-- | --: |')
  await time('first page (with COUNT)', page(1))
  await time(`cold deep page (startIndex ${users - 9999})`, page(users - 9999))
  await time('first page, filter active eq true', page(1, 'active eq true'))
  const started = process.hrtime.bigint()
  let pages = 0
  for (let s = 1; s <= users; s += 100, pages++) await ts.users.list(page(s))
  console.log(
    `| each page of an in-order walk (${pages} pages) | ${(Number(process.hrtime.bigint() - started) / 1e6 / pages).toFixed(2)} |`,
  )
  await time(`warm deep page (startIndex ${users - 99}, after the walk)`, page(users - 99), 1)
  await time(
    'userName eq lookup',
    page(1, `userName eq "user${Math.floor(users / 2)}@paging.example"`),
  )
} finally {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
}

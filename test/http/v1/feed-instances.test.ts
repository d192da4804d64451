// The feed while two instances write (PostgreSQL: two pools on one database; SQLite, which serves
// one instance, two concurrent writers on one store): a reader paging with small pages from its cursor gets every committed
// event exactly once, in position order, however the writers' transactions interleave.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import Fastify from 'fastify'
import { loadConfig } from '../../../src/config.ts'
import { createApiKey } from '../../../src/credentials/api-keys.ts'
import { newTenantId, type TenantId } from '../../../src/domain/ids.ts'
import { v1Routes } from '../../../src/http/routes/v1/index.ts'
import { openPostgresStore } from '../../../src/store/postgres/open-postgres.ts'
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.ts'
import type { Store } from '../../../src/store/store.ts'
import { TEST_STORE } from '../../helper.ts'
import { createTestSchema, postgresSkipReason } from '../../support/postgres.ts'

async function twoInstances(t: TestContext): Promise<[Store, Store, string]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-feed-'))
  t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  let open: () => Store
  if (TEST_STORE === 'postgres') {
    const skip = await postgresSkipReason()
    if (skip) throw new Error(skip)
    const schema = await createTestSchema()
    t.after(() => schema.drop())
    open = () => openPostgresStore(schema.url, 4)
  } else {
    const store = openSqliteStore(join(dataDir, 'rollcall.sqlite'))
    open = () => store
  }
  const first = open()
  await first.migrate()
  const second = open()
  t.after(async () => {
    await first.close()
    if (second !== first) await second.close()
  })
  return [first, second, dataDir]
}

async function writes(store: Store, tenantId: TenantId, label: string, count: number) {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const stored = await store.transaction(async (tx) => {
      // Work before the append, so the two writers' transactions overlap.
      await tx.forTenant(tenantId).users.findIdByUserName(`${label}${i}@x.test`)
      return tx.forTenant(tenantId).events.append([
        { type: 'user.updated', data: { label, i }, actor: { type: 'system' }, requestId: null },
        {
          type: 'user.updated',
          data: { label, i, again: true },
          actor: { type: 'system' },
          requestId: null,
        },
      ])
    })
    ids.push(...stored.map((event) => event.id))
  }
  return ids
}

describe('/api/v1/events with two instances writing', () => {
  it('pages every committed event exactly once, in order', { timeout: 20_000 }, async (t) => {
    const [one, two, dataDir] = await twoInstances(t)
    const tenantId = newTenantId()
    await one.tenants.create({
      id: tenantId,
      slug: 'acme',
      name: 'Acme',
      createdAt: new Date().toISOString(),
    })
    const { key } = await createApiKey(one, { scope: 'read' })
    const app = Fastify()
    const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://rollcall.test' })
    await app.register((scope) => v1Routes(scope, { config, store: one }), { prefix: '/api/v1' })
    t.after(() => app.close())

    let writing = true
    const written = Promise.all([
      writes(one, tenantId, 'a', 60),
      writes(two, tenantId, 'b', 60),
    ]).finally(() => (writing = false))
    const seen: { id: string; position: number }[] = []
    let after = '0'
    for (;;) {
      const done = !writing
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/events?after=${after}&limit=7`,
        headers: { authorization: `Bearer ${key}` },
      })
      assert.equal(res.statusCode, 200, res.body)
      const page = JSON.parse(res.body) as { data: { id: string }[]; after: string }
      for (const event of page.data) seen.push({ id: event.id, position: Number(page.after) })
      after = page.after
      // Stop after an empty page read once every writer had finished.
      if (done && page.data.length === 0) break
      // inject() answers without I/O: let the writers' commits (timers, setImmediate) run.
      await new Promise((resolve) => setImmediate(resolve))
    }
    const all = (await written).flat()
    assert.equal(seen.length, all.length, 'each event once')
    assert.deepEqual(new Set(seen.map((e) => e.id)), new Set(all))
    const ordered = await one.events.after({ after: 0, limit: 1000 })
    assert.deepEqual(
      seen.map((e) => e.id),
      ordered.map((e) => e.id),
      'in position order',
    )
  })
})

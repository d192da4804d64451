// The event log on PostgreSQL across instances: two stores (two pools) on one database, writers
// on both appending in transactions of random length (some sleep after appending, some roll
// back), and a reader following the cursor: it sees every committed event exactly once, in
// position order, and none of a rolled-back transaction. Also: a commit on one instance wakes the
// subscribers of the other (LISTEN), again after the listening connection was killed.
// Skipped with one line when PostgreSQL is unreachable (a failure with REQUIRE_POSTGRES=1).
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import pg from 'pg'
import { newTenantId, type TenantId } from '../../src/domain/ids.ts'
import { EVENT_LISTENER_NAME } from '../../src/store/postgres/event-wake-ups.ts'
import { openPostgresStore } from '../../src/store/postgres/open-postgres.ts'
import type { SqlStore } from '../../src/store/sql/sql-store.ts'
import { createTestSchema, postgresSkipReason } from '../support/postgres.ts'

const skip = await postgresSkipReason()

async function twoInstances(t: TestContext): Promise<{
  a: SqlStore
  b: SqlStore
  tenantId: TenantId
  url: string
}> {
  const schema = await createTestSchema('ev')
  const a = openPostgresStore(schema.url, 6)
  const b = openPostgresStore(schema.url, 6)
  t.after(async () => {
    await a.close()
    await b.close()
    await schema.drop()
  })
  await a.migrate()
  const tenant = await a.tenants.create({
    id: newTenantId(),
    slug: 'acme',
    name: 'Acme',
    createdAt: new Date().toISOString(),
  })
  return { a, b, tenantId: tenant.id, url: schema.url }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

describe('event log on PostgreSQL, two instances', { skip }, () => {
  it('never lets a cursor reader skip or repeat a committed event', async (t) => {
    const { a, b, tenantId } = await twoInstances(t)
    const committed = new Set<string>()
    const rolledBack = new Set<string>()
    let writing = true

    const writer = async (store: SqlStore, name: string) => {
      for (let i = 0; i < 25; i++) {
        const fail = Math.random() < 0.15
        let appended: string[] = []
        try {
          await store.transaction(async (tx) => {
            const stored = await tx.forTenant(tenantId).events.append(
              Array.from({ length: 1 + Math.floor(Math.random() * 3) }, (_, n) => ({
                type: 'user.updated',
                data: { writer: name, i, n },
                actor: { type: 'system' as const },
                requestId: null,
              })),
            )
            appended = stored.map((e) => e.id)
            // Transactions of random length: a later position may be ready to commit first.
            if (Math.random() < 0.5) await sleep(Math.random() * 30)
            if (fail) throw new Error('rolled back on purpose')
          })
          for (const id of appended) committed.add(id)
        } catch (error) {
          if (!fail) throw error
          for (const id of appended) rolledBack.add(id)
        }
      }
    }

    const seen: { id: string; position: number }[] = []
    const reader = async () => {
      let cursor = 0
      const readPage = async () => {
        const page = await b.forTenant(tenantId).events.after({ after: cursor, limit: 7 })
        for (const e of page) seen.push({ id: e.id, position: e.position })
        if (page.length > 0) cursor = page[page.length - 1]!.position
        return page.length
      }
      while (writing) {
        await readPage()
        await sleep(Math.random() * 3)
      }
      // The writers are done: what is left to read is read now.
      while ((await readPage()) > 0);
    }

    const readerDone = reader()
    await Promise.all([a, a, a, b, b, b].map((store, n) => writer(store, `w${n}`)))
    writing = false
    await readerDone

    const ids = seen.map((e) => e.id)
    assert.equal(new Set(ids).size, ids.length, 'an event was read twice')
    for (const id of ids) assert.ok(!rolledBack.has(id), 'a rolled-back event was read')
    const missed = [...committed].filter((id) => !ids.includes(id))
    assert.deepEqual(missed, [], `${missed.length} committed events were skipped by the cursor`)
    assert.equal(ids.length, committed.size)
    for (let i = 1; i < seen.length; i++) {
      assert.ok(seen[i]!.position > seen[i - 1]!.position, 'positions out of order')
    }
    assert.ok(committed.size > 100, `only ${committed.size} events were written`)
  })

  it('wakes the other instance’s subscribers, also after its listening connection dropped', async (t) => {
    const { a, b, tenantId, url } = await twoInstances(t)
    let wakes = 0
    const unsubscribe = b.events.subscribe(() => {
      wakes += 1
    })
    t.after(unsubscribe)
    const append = () =>
      a.transaction((tx) =>
        tx
          .forTenant(tenantId)
          .events.append([
            { type: 'user.created', data: {}, actor: { type: 'system' }, requestId: null },
          ]),
      )
    // Until the listener is in place a commit may go unheard: commit until one is heard.
    let before = wakes
    await until('a wake-up from the other instance', async () => {
      await append()
      return wakes > before
    })

    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    t.after(() => admin.end())
    const listeners = async () =>
      (
        await admin.query(
          `select pid from pg_stat_activity
            where application_name = $1 and query ilike 'LISTEN%' and pid <> pg_backend_pid()`,
          [EVENT_LISTENER_NAME],
        )
      ).rows.map((r: { pid: number }) => r.pid)
    const killed = await listeners()
    assert.ok(killed.length >= 1)
    await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [killed])
    // Only a new listening connection can hear the other instance now.
    before = wakes
    await until('a wake-up after the reconnect', async () => {
      await append()
      return wakes > before
    })
    assert.ok((await listeners()).some((pid) => !killed.includes(pid)))
  })
})

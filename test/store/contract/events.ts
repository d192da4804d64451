// The Store contract: the event log. Positions are commit-ordered and never reused; a rolled-back
// transaction leaves no event; each tenant reads only its own events.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { NewEvent } from '../../../src/store/store.ts'
import { at, type Fresh } from './support.ts'

function event(type: string, data: unknown = {}): NewEvent {
  return { type, data, actor: { type: 'system' }, requestId: 'req-1' }
}

export function defineEventsContract(fresh: Fresh): void {
  describe('event log', () => {
    it('appends events with increasing positions and a body with the tenant slug', async (t) => {
      const { store, a: tenantA } = await fresh(t)
      const events = store.forTenant(tenantA.id).events
      const [first] = await events.append([event('user.created', { id: 'u1' })])
      const [second, third] = await events.append([event('user.updated'), event('user.deleted')])
      assert.ok(first && second && third)
      assert.ok(first.position < second.position && second.position < third.position)
      assert.match(first.id, /^evt_[0-9a-z]{26}$/)
      const body = JSON.parse(first.body) as Record<string, unknown>
      assert.deepEqual(body, {
        id: first.id,
        type: 'user.created',
        timestamp: first.at,
        tenant: tenantA.slug,
        data: { id: 'u1' },
        actor: { type: 'system' },
        requestId: 'req-1',
      })
      assert.deepEqual(
        (await events.after({ after: first.position, limit: 10 })).map((e) => e.type),
        ['user.updated', 'user.deleted'],
      )
      assert.equal(await events.head(), third.position)
      assert.deepEqual(await store.events.get(second.id), second)
    })

    it('keeps each tenant to its own events; the log across tenants sees both', async (t) => {
      const { store, a: tenantA, b: tenantB } = await fresh(t)
      await store.forTenant(tenantA.id).events.append([event('user.created')])
      await store.forTenant(tenantB.id).events.append([event('group.created')])
      const a = await store.forTenant(tenantA.id).events.after({ after: 0, limit: 10 })
      const b = await store.forTenant(tenantB.id).events.after({ after: 0, limit: 10 })
      assert.deepEqual(
        a.map((e) => e.type),
        ['user.created'],
      )
      assert.deepEqual(
        b.map((e) => e.type),
        ['group.created'],
      )
      const all = await store.events.after({ after: 0, limit: 10 })
      assert.deepEqual(
        all.map((e) => e.type),
        ['user.created', 'group.created'],
      )
      const onlyB = await store.events.after({ after: 0, limit: 10, tenantIds: [tenantB.id] })
      assert.deepEqual(
        onlyB.map((e) => e.tenantId),
        [tenantB.id],
      )
      const typed = await store.events.after({ after: 0, limit: 10, types: ['group.created'] })
      assert.equal(typed.length, 1)
    })

    it('writes no event for a rolled-back transaction, and announces only committed ones', async (t) => {
      const { store, a: tenantA } = await fresh(t)
      let wakes = 0
      const stop = store.events.subscribe(() => wakes++)
      t.after(stop)
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.forTenant(tenantA.id).events.append([event('user.created')])
          throw new Error('rolled back')
        }),
        /rolled back/,
      )
      assert.equal(await store.events.head(), 0)
      // PostgreSQL also wakes readers when its LISTEN connection (re)connects, to catch up on
      // what it may have missed: a wake-up is a hint, never a promise of events.
      if (store.dialect === 'sqlite') assert.equal(wakes, 0)
      await store.transaction((tx) =>
        tx.forTenant(tenantA.id).events.append([event('user.created')]),
      )
      assert.equal((await store.events.after({ after: 0, limit: 10 })).length, 1)
      assert.ok(wakes >= 1)
    })

    it('deletes old events up to a limit and never reuses a position', async (t) => {
      const { store, a: tenantA } = await fresh(t)
      const events = store.forTenant(tenantA.id).events
      const appended = await events.append([event('a'), event('b'), event('c')])
      const last = appended.at(-1)?.position ?? 0
      assert.equal(await store.events.deleteOlderThan(at(0), 10), 0)
      assert.equal(await store.events.deleteOlderThan('9999-01-01T00:00:00.000Z', 2), 2)
      assert.equal(await store.events.deleteOlderThan('9999-01-01T00:00:00.000Z', 10), 1)
      const [next] = await events.append([event('d')])
      assert.ok(next && next.position > last)
    })
  })
}

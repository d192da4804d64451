// The Store contract: the provisioning log: per tenant, newest first, paged; retention across
// tenants.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { TenantId } from '../../../src/domain/ids.ts'
import type { ProvisioningLogQuery } from '../../../src/store/store.ts'
import { appendLog, at, type Fresh, logEntry } from './support.ts'

export function defineProvisioningLogContract(fresh: Fresh): void {
  describe('provisioning log', () => {
    it("lists a tenant's entries newest first with every field, and none of another tenant", async (t) => {
      const { store, a, b } = await fresh(t)
      const entries = [
        logEntry(a.id, 1),
        logEntry(a.id, 2, {
          method: 'PATCH',
          path: '/Groups/g-1',
          operation: 'Patch Group',
          resourceType: 'Group',
          resourceId: 'g-1',
          status: 409,
          scimType: 'uniqueness',
          detail: 'displayName taken',
          requestId: null,
          client: null,
          requestBody: null,
          responseBody: '{"status":"409"}',
        }),
        logEntry(b.id, 3),
        logEntry(a.id, 4, {
          operation: 'List Users',
          method: 'GET',
          resourceType: null,
          resourceId: null,
        }),
      ]
      await appendLog(store, entries)
      await store.forTenant(a.id).provisioningLog.append([])
      const listed = await store.forTenant(a.id).provisioningLog.list({ limit: 10 })
      assert.deepEqual(
        listed.map(({ id: _id, ...rest }) => rest),
        [entries[3], entries[1], entries[0]],
      )
      const listedIds = listed.map((e) => e.id)
      assert.deepEqual(
        listedIds,
        [...listedIds].sort((x, y) => y - x),
      )
      assert.ok(listedIds.every((id) => Number.isInteger(id)))
      assert.deepEqual(
        (await store.forTenant(b.id).provisioningLog.list({ limit: 10 })).map((e) => e.requestId),
        ['req-3'],
      )
      assert.equal((await store.forTenant(a.id).provisioningLog.list({ limit: 2 })).length, 2)
    })

    it('pages newest first with beforeId, each entry exactly once', async (t) => {
      const { store, a, b } = await fresh(t)
      for (let i = 1; i <= 7; i++) {
        await appendLog(store, [logEntry(a.id, i), logEntry(b.id, 100 + i)])
      }
      const seen: string[] = []
      let beforeId: number | undefined
      for (;;) {
        const page = await store.forTenant(a.id).provisioningLog.list({ limit: 3, beforeId })
        seen.push(...page.map((e) => e.requestId ?? ''))
        const last = page[page.length - 1]
        if (page.length < 3 || last === undefined) break
        beforeId = last.id
      }
      assert.deepEqual(seen, ['req-7', 'req-6', 'req-5', 'req-4', 'req-3', 'req-2', 'req-1'])
    })

    it('lists only failures (status 400 and above) with failuresOnly', async (t) => {
      const { store, a } = await fresh(t)
      const statuses = [200, 201, 400, 404, 204, 409, 500, 399]
      await appendLog(
        store,
        statuses.map((status, i) => logEntry(a.id, i, { status })),
      )
      const failures = await store
        .forTenant(a.id)
        .provisioningLog.list({ limit: 10, failuresOnly: true })
      assert.deepEqual(
        failures.map((e) => e.status),
        [500, 409, 404, 400],
      )
      const second = failures[1]
      assert.ok(second)
      const older = await store.forTenant(a.id).provisioningLog.list({
        limit: 10,
        failuresOnly: true,
        beforeId: second.id,
      })
      assert.deepEqual(
        older.map((e) => e.status),
        [404, 400],
      )
      const all = await store
        .forTenant(a.id)
        .provisioningLog.list({ limit: 10, failuresOnly: false })
      assert.equal(all.length, statuses.length)
    })

    it('filters by outcome, operation, resource type, time and excluded operations, with paging', async (t) => {
      const { store, a, b } = await fresh(t)
      await appendLog(store, [
        logEntry(a.id, 1),
        logEntry(a.id, 2, { status: 409, scimType: 'uniqueness' }),
        logEntry(a.id, 3, { operation: 'Patch Group', resourceType: 'Group', status: 200 }),
        logEntry(a.id, 4, { operation: 'Authenticate', resourceType: null, status: 401 }),
        logEntry(a.id, 5, { operation: 'Patch Group', resourceType: 'Group', status: 400 }),
        logEntry(b.id, 6, { status: 409 }),
      ])
      const ids = async (query: Omit<ProvisioningLogQuery, 'limit'>) =>
        (await store.forTenant(a.id).provisioningLog.list({ limit: 10, ...query })).map(
          (e) => e.requestId,
        )
      assert.deepEqual(await ids({ outcome: 'failure' }), ['req-5', 'req-4', 'req-2'])
      assert.deepEqual(await ids({ outcome: 'success' }), ['req-3', 'req-1'])
      assert.deepEqual(await ids({ operation: 'Patch Group' }), ['req-5', 'req-3'])
      assert.deepEqual(await ids({ resourceType: 'User' }), ['req-2', 'req-1'])
      assert.deepEqual(await ids({ operation: 'Patch Group', outcome: 'failure' }), ['req-5'])
      assert.deepEqual(await ids({ since: at(3) }), ['req-5', 'req-4', 'req-3'])
      assert.deepEqual(await ids({ excludeOperations: ['Authenticate', 'Patch Group'] }), [
        'req-2',
        'req-1',
      ])
      const newest = (await store.forTenant(a.id).provisioningLog.list({ limit: 1 }))[0]
      assert.ok(newest)
      assert.deepEqual(await ids({ outcome: 'failure', beforeId: newest.id }), ['req-4', 'req-2'])
      assert.deepEqual(await ids({ operation: 'Delete User' }), [])
    })

    it("reads one entry by id, and none of another tenant's", async (t) => {
      const { store, a, b } = await fresh(t)
      await appendLog(store, [logEntry(a.id, 1), logEntry(b.id, 2)])
      const [mine] = await store.forTenant(a.id).provisioningLog.list({ limit: 1 })
      const [theirs] = await store.forTenant(b.id).provisioningLog.list({ limit: 1 })
      assert.ok(mine && theirs)
      assert.deepEqual(await store.forTenant(a.id).provisioningLog.get(mine.id), mine)
      assert.equal(mine.address, '203.0.113.7')
      assert.equal(await store.forTenant(a.id).provisioningLog.get(theirs.id), undefined)
      assert.equal(await store.forTenant(a.id).provisioningLog.get(mine.id + 1000), undefined)
    })

    it('counts requests and failures per minute, hour and day since a cut-off, oldest first', async (t) => {
      const { store, a, b } = await fresh(t)
      const time = (iso: string) => ({ at: iso })
      await appendLog(store, [
        logEntry(a.id, 1, time('2026-03-01T09:59:59.000Z')),
        logEntry(a.id, 2, { ...time('2026-03-01T10:00:01.000Z'), status: 500 }),
        logEntry(a.id, 3, time('2026-03-01T10:00:30.000Z')),
        logEntry(a.id, 4, { ...time('2026-03-01T10:05:00.000Z'), status: 404 }),
        logEntry(a.id, 5, time('2026-03-02T08:00:00.000Z')),
        logEntry(b.id, 6, { ...time('2026-03-01T10:00:02.000Z'), status: 500 }),
      ])
      const log = store.forTenant(a.id).provisioningLog
      assert.deepEqual(
        await log.activity({ since: '2026-03-01T10:00:00.000Z', bucket: 'minute' }),
        [
          { start: '2026-03-01T10:00:00.000Z', requests: 2, failures: 1 },
          { start: '2026-03-01T10:05:00.000Z', requests: 1, failures: 1 },
          { start: '2026-03-02T08:00:00.000Z', requests: 1, failures: 0 },
        ],
      )
      assert.deepEqual(await log.activity({ since: '2026-03-01T00:00:00.000Z', bucket: 'hour' }), [
        { start: '2026-03-01T09:00:00.000Z', requests: 1, failures: 0 },
        { start: '2026-03-01T10:00:00.000Z', requests: 3, failures: 2 },
        { start: '2026-03-02T08:00:00.000Z', requests: 1, failures: 0 },
      ])
      assert.deepEqual(await log.activity({ since: '2026-03-01T00:00:00.000Z', bucket: 'day' }), [
        { start: '2026-03-01T00:00:00.000Z', requests: 4, failures: 2 },
        { start: '2026-03-02T00:00:00.000Z', requests: 1, failures: 0 },
      ])
      assert.deepEqual(await log.activity({ since: '2026-04-01T00:00:00.000Z', bucket: 'day' }), [])
    })

    it('prunes entries older than the cut-off in every tenant and returns how many it deleted', async (t) => {
      const { store, a, b } = await fresh(t)
      for (let i = 1; i <= 5; i++) {
        await appendLog(store, [logEntry(a.id, i), logEntry(b.id, i)])
      }
      assert.equal(await store.provisioningLog.prune(at(3), 100), 4)
      const left = async (tenantId: TenantId) =>
        (await store.forTenant(tenantId).provisioningLog.list({ limit: 10 })).map((e) => e.at)
      assert.deepEqual(await left(a.id), [at(5), at(4), at(3)])
      assert.deepEqual(await left(b.id), [at(5), at(4), at(3)])
      assert.equal(await store.provisioningLog.prune(at(3), 100), 0)
    })

    it('prunes each tenant down to its newest maxRowsPerTenant entries', async (t) => {
      const { store, a, b } = await fresh(t)
      for (let i = 1; i <= 6; i++) await appendLog(store, [logEntry(a.id, 10 + i)])
      for (let i = 1; i <= 2; i++) await appendLog(store, [logEntry(b.id, 10 + i)])
      assert.equal(await store.provisioningLog.prune(at(0), 3), 3)
      const left = async (tenantId: TenantId) =>
        (await store.forTenant(tenantId).provisioningLog.list({ limit: 10 })).map(
          (e) => e.requestId,
        )
      assert.deepEqual(await left(a.id), ['req-16', 'req-15', 'req-14'])
      assert.deepEqual(await left(b.id), ['req-12', 'req-11'])
      // Both rules at once: age first, then the cap; the count covers both.
      await appendLog(store, [logEntry(a.id, 17), logEntry(a.id, 18)])
      // Age removes req-14 (acme) and req-11, req-12 (globex); the cap then req-15, req-16.
      assert.equal(await store.provisioningLog.prune(at(15), 2), 5)
      assert.deepEqual(await left(a.id), ['req-18', 'req-17'])
      assert.deepEqual(await left(b.id), [])
    })
  })
}

// The Store contract: webhook endpoints and their deliveries. A lease is held by one owner at a
// time (two claims at once take disjoint endpoints), ends at its time, and guards every write of
// the delivery state; the log lists newest first and prunes by age; redeliveries queue and finish.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { TenantId } from '../../../src/domain/ids.ts'
import type { NewWebhookEndpoint, Store } from '../../../src/store/store.ts'
import { at, type Fresh } from './support.ts'

function endpoint(id: string, overrides: Partial<NewWebhookEndpoint> = {}): NewWebhookEndpoint {
  return {
    id,
    url: `https://app.test/${id}`,
    tenantId: null,
    eventTypes: null,
    secretSealed: `sealed-${id}`,
    cursor: 0,
    createdAt: at(1),
    ...overrides,
  }
}

const claim = (store: Store, owner: string, now: number, limit = 10, exclude: string[] = []) =>
  store.webhooks.claim({ owner, now: at(now), leaseUntil: at(now + 30), limit, exclude })

const progress = { cursor: 0, pendingPosition: 8, pendingAttempts: 2, nextAttemptAt: at(50) }

/** An event in the log, so that endpoints whose cursor is below it have work. */
async function anEvent(store: Store, tenantId: TenantId): Promise<number> {
  const [event] = await store
    .forTenant(tenantId)
    .events.append([{ type: 'user.created', data: {}, actor: { type: 'system' }, requestId: null }])
  return event?.position ?? 0
}

export function defineWebhooksContract(fresh: Fresh): void {
  describe('webhooks', () => {
    it('creates, reads, lists, rotates, disables and deletes endpoints', async (t) => {
      const { store, a } = await fresh(t)
      const created = await store.webhooks.create(
        endpoint('wh_1', { tenantId: a.id, eventTypes: ['user.created'], cursor: 5 }),
      )
      assert.deepEqual(created, {
        ...endpoint('wh_1', { tenantId: a.id, eventTypes: ['user.created'], cursor: 5 }),
        enabled: true,
        disabledReason: null,
        previousSecretSealed: null,
        previousSecretUntil: null,
        pendingPosition: null,
        pendingAttempts: 0,
        nextAttemptAt: null,
        leaseOwner: null,
        leaseUntil: null,
        updatedAt: at(1),
      })
      await store.webhooks.create(endpoint('wh_2', { createdAt: at(2) }))
      assert.deepEqual(await store.webhooks.get('wh_1'), created)
      assert.deepEqual(
        (await store.webhooks.list()).map((e) => e.id),
        ['wh_1', 'wh_2'],
      )
      assert.equal(await store.webhooks.rotateSecret('wh_1', 'sealed-new', at(9), at(3)), true)
      const rotated = await store.webhooks.get('wh_1')
      assert.equal(rotated?.secretSealed, 'sealed-new')
      assert.equal(rotated?.previousSecretSealed, 'sealed-wh_1')
      assert.equal(rotated?.previousSecretUntil, at(9))
      assert.equal(await store.webhooks.setEnabled('wh_1', false, '410 Gone', at(4)), true)
      assert.equal((await store.webhooks.get('wh_1'))?.disabledReason, '410 Gone')
      assert.equal(await store.webhooks.setEnabled('wh_nope', false, 'x', at(4)), false)
      await store.webhookDeliveries.queueRedelivery('wh_1', 'evt_1', at(4))
      assert.equal(await store.webhooks.delete('wh_1'), true)
      assert.equal(await store.webhooks.delete('wh_1'), false)
      assert.equal(await store.webhooks.get('wh_1'), undefined)
      assert.equal(await store.webhookDeliveries.nextRedeliveryAt('wh_1'), undefined)
    })

    it('leases each free, enabled endpoint to one owner; two claims at once never share one', async (t) => {
      const { store, a } = await fresh(t)
      const head = await anEvent(store, a.id)
      for (let i = 0; i < 6; i++) await store.webhooks.create(endpoint(`wh_${i}`))
      // Nothing after its cursor: not claimed.
      await store.webhooks.create(endpoint('wh_idle', { cursor: head }))
      await store.webhooks.setEnabled('wh_5', false, 'by the operator', at(1))
      const [x, y] = await Promise.all([claim(store, 'x', 10, 3), claim(store, 'y', 10, 3)])
      const ids = [...(x ?? []), ...(y ?? [])].map((e) => e.id).sort()
      assert.deepEqual(ids, ['wh_0', 'wh_1', 'wh_2', 'wh_3', 'wh_4'])
      assert.equal((await store.webhooks.get('wh_0'))?.leaseUntil, at(40))
      // Held leases are not claimable until they end; then another owner takes them.
      assert.deepEqual(await claim(store, 'z', 20), [])
      const later = await claim(store, 'z', 41, 10, ['wh_4'])
      assert.deepEqual(later.map((e) => e.id).sort(), ['wh_0', 'wh_1', 'wh_2', 'wh_3'])
      assert.ok(later.every((e) => e.leaseOwner === 'z'))
    })

    it('lets only the lease owner renew, save progress and release', async (t) => {
      const { store, a } = await fresh(t)
      const head = await anEvent(store, a.id)
      await store.webhooks.create(endpoint('wh_1'))
      assert.equal((await claim(store, 'x', 10)).length, 1)
      assert.equal(await store.webhooks.renewLease('wh_1', 'y', at(99)), undefined)
      assert.equal(await store.webhooks.saveProgress('wh_1', 'y', progress, at(11)), false)
      await store.webhooks.release('wh_1', 'y')
      assert.equal((await store.webhooks.get('wh_1'))?.leaseOwner, 'x')
      const renewed = await store.webhooks.renewLease('wh_1', 'x', at(60))
      assert.equal(renewed?.leaseUntil, at(60))
      assert.equal(await store.webhooks.saveProgress('wh_1', 'x', progress, at(12)), true)
      await store.webhooks.release('wh_1', 'x')
      const saved = await store.webhooks.get('wh_1')
      assert.deepEqual(
        [saved?.cursor, saved?.pendingPosition, saved?.pendingAttempts, saved?.nextAttemptAt],
        [0, 8, 2, at(50)],
      )
      assert.equal(saved?.leaseOwner, null)
      // Waiting for its retry: claimed only once it is due.
      assert.deepEqual(await claim(store, 'y', 13), [])
      assert.equal((await claim(store, 'y', 50)).length, 1)
      await store.webhooks.release('wh_1', 'y')
      // Enabling again makes a waiting retry due at once.
      await store.webhooks.setEnabled('wh_1', true, null, at(14))
      assert.equal((await store.webhooks.get('wh_1'))?.nextAttemptAt, null)
      // Caught up, it has work again only when a redelivery is due.
      await claim(store, 'y', 15)
      const caughtUp = {
        cursor: head,
        pendingPosition: null,
        pendingAttempts: 0,
        nextAttemptAt: null,
      }
      await store.webhooks.saveProgress('wh_1', 'y', caughtUp, at(15))
      await store.webhooks.release('wh_1', 'y')
      assert.deepEqual(await claim(store, 'y', 16), [])
      await store.webhookDeliveries.queueRedelivery('wh_1', 'evt_1', at(17))
      assert.deepEqual(await claim(store, 'y', 16), [])
      assert.equal((await claim(store, 'y', 17)).length, 1)
    })

    it('logs attempts newest first, prunes by age, keeps dead letters and queues redeliveries', async (t) => {
      const { store } = await fresh(t)
      const log = store.webhookDeliveries
      for (let i = 1; i <= 3; i++) {
        await log.append({
          endpointId: 'wh_1',
          eventId: `evt_${i}`,
          attempt: i,
          manual: i === 3,
          outcome: i === 2 ? 'failed' : 'delivered',
          status: i === 2 ? null : 200,
          latencyMs: 12.6,
          error: i === 2 ? 'ECONNREFUSED' : null,
          nextTryAt: i === 2 ? at(20) : null,
          at: at(i),
        })
      }
      const listed = await log.list('wh_1', 10)
      assert.deepEqual(
        listed.map((d) => [d.eventId, d.manual, d.outcome, d.status, d.latencyMs, d.error]),
        [
          ['evt_3', true, 'delivered', 200, 13, null],
          ['evt_2', false, 'failed', null, 13, 'ECONNREFUSED'],
          ['evt_1', false, 'delivered', 200, 13, null],
        ],
      )
      assert.deepEqual(await log.list('wh_other', 10), [])
      assert.equal(await log.prune(at(3), 10), 2)
      assert.deepEqual(
        (await log.list('wh_1', 10)).map((d) => d.eventId),
        ['evt_3'],
      )
      const letter = {
        endpointId: 'wh_1',
        eventId: 'evt_2',
        position: 2,
        attempts: 8,
        lastError: 'HTTP 500',
        at: at(5),
      }
      await log.addDeadLetter(letter)
      assert.deepEqual(await log.deadLetters('wh_1', 10), [letter])
      await log.queueRedelivery('wh_1', 'evt_1', at(10))
      await log.queueRedelivery('wh_1', 'evt_2', at(12))
      assert.equal(await log.nextRedeliveryAt('wh_1'), at(10))
      const due = await log.dueRedeliveries('wh_1', at(11), 10)
      assert.deepEqual(
        due.map((r) => [r.eventId, r.attempts, r.nextAttemptAt]),
        [['evt_1', 0, at(10)]],
      )
      await log.retryRedelivery(due[0]?.id ?? 0, 1, at(30))
      assert.equal(await log.nextRedeliveryAt('wh_1'), at(12))
      await log.finishRedelivery(due[0]?.id ?? 0)
      assert.deepEqual(
        (await log.dueRedeliveries('wh_1', at(99), 10)).map((r) => r.eventId),
        ['evt_2'],
      )
    })
  })
}

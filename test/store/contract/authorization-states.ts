// The Store contract: pending authorization requests: stored per tenant, consumed once by state.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { asConnectionId } from '../../../src/domain/ids.ts'
import type { AuthorizationStateRecord } from '../../../src/store/store.ts'
import { at, type Fresh, rejectsUniqueAny } from './support.ts'

export function defineAuthorizationStatesContract(fresh: Fresh): void {
  describe('authorization states', () => {
    it('gives a pending authorization state once, and never when it expired', async (t) => {
      const { store, a } = await fresh(t)
      const record: AuthorizationStateRecord = {
        state: 'state-1',
        tenantId: a.id,
        connectionId: asConnectionId('c-1'),
        purpose: 'verify',
        nonce: 'n-1',
        codeVerifier: 'v-1',
        bindingHash: 'b-1',
        createdAt: at(1),
        expiresAt: at(600),
      }
      await store.forTenant(a.id).authorizationStates.insert(record)
      await store
        .forTenant(a.id)
        .authorizationStates.insert({ ...record, state: 'state-2', expiresAt: at(10) })
      await rejectsUniqueAny(store.forTenant(a.id).authorizationStates.insert(record))
      const results = await Promise.all([
        store.authorizationStates.consume('state-1', at(2)),
        store.authorizationStates.consume('state-1', at(2)),
      ])
      assert.deepEqual(
        results.filter((r) => r !== undefined),
        [record],
      )
      assert.equal(await store.authorizationStates.consume('state-1', at(3)), undefined)
      assert.equal(await store.authorizationStates.consume('state-2', at(10)), undefined)
      assert.equal(await store.authorizationStates.consume('unknown', at(1)), undefined)
    })
  })
}

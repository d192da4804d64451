// The Store contract: one-time tokens: issued per tenant, found and consumed once by hash and
// purpose.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { asUserId } from '../../../src/domain/ids.ts'
import type { OneTimeTokenRecord } from '../../../src/store/store.ts'
import { at, type Fresh } from './support.ts'

export function defineOneTimeTokensContract(fresh: Fresh): void {
  describe('one-time tokens', () => {
    it('finds a one-time token until it is consumed once, by its purpose and before expiry', async (t) => {
      const { store, a } = await fresh(t)
      const token: OneTimeTokenRecord = {
        tokenHash: 'h-1',
        purpose: 'set-password',
        tenantId: a.id,
        subjectId: asUserId('user-1'),
        createdAt: at(1),
        expiresAt: at(100),
      }
      await store.forTenant(a.id).oneTimeTokens.insert(token)
      assert.deepEqual(await store.oneTimeTokens.find('h-1', 'set-password', at(2)), token)
      assert.equal(await store.oneTimeTokens.find('h-1', 'verify-connection', at(2)), undefined)
      assert.equal(await store.oneTimeTokens.find('h-1', 'set-password', at(100)), undefined)
      assert.equal(await store.oneTimeTokens.consume('h-1', 'verify-connection', at(2)), undefined)
      assert.deepEqual(await store.oneTimeTokens.consume('h-1', 'set-password', at(2)), token)
      assert.equal(await store.oneTimeTokens.consume('h-1', 'set-password', at(2)), undefined)
      await store
        .forTenant(a.id)
        .oneTimeTokens.insert({ ...token, tokenHash: 'h-2', expiresAt: at(5) })
      assert.equal(await store.oneTimeTokens.consume('h-2', 'set-password', at(6)), undefined)
    })
  })
}

// The Store contract: ping(): a round trip for readiness checks.
import { describe, it } from 'node:test'
import type { Fresh } from './support.ts'

export function definePingContract(fresh: Fresh): void {
  describe('ping', () => {
    it('answers a round trip to the database', async (t) => {
      const { store } = await fresh(t)
      await store.ping()
    })
  })
}

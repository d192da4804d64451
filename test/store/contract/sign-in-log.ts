// The Store contract: the sign-in log: per tenant, newest first; retention by age.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { asConnectionId } from '../../../src/domain/ids.ts'
import type { SignInLogEntry } from '../../../src/store/store.ts'
import { at, type Fresh } from './support.ts'

export function defineSignInLogContract(fresh: Fresh): void {
  describe('sign-in log', () => {
    it("lists a tenant's sign-in log newest first, and none of another tenant", async (t) => {
      const { store, a, b } = await fresh(t)
      const entry: SignInLogEntry = {
        tenantId: a.id,
        connectionId: asConnectionId('c-1'),
        at: at(1),
        outcome: 'signed-in',
        email: 'ann@example.com',
        detail: null,
      }
      await store.forTenant(a.id).signInLog.append(entry)
      await store.forTenant(a.id).signInLog.append({
        ...entry,
        at: at(2),
        outcome: 'refused',
        connectionId: null,
        email: null,
        detail: 'no email',
      })
      await store.forTenant(b.id).signInLog.append(entry)
      const listed = await store.forTenant(a.id).signInLog.list({ limit: 10 })
      assert.deepEqual(
        listed.map(({ id: _id, ...rest }) => rest),
        [
          {
            ...entry,
            at: at(2),
            outcome: 'refused',
            connectionId: null,
            email: null,
            detail: 'no email',
          },
          entry,
        ],
      )
      assert.equal((await store.forTenant(a.id).signInLog.list({ limit: 1 })).length, 1)
      assert.equal((await store.forTenant(b.id).signInLog.list({ limit: 10 })).length, 1)
    })

    it('prunes sign-in log entries older than the provisioning log cut-off', async (t) => {
      const { store, a } = await fresh(t)
      const entry: SignInLogEntry = {
        tenantId: a.id,
        connectionId: null,
        at: at(1),
        outcome: 'refused',
        email: null,
        detail: null,
      }
      await store.forTenant(a.id).signInLog.append(entry)
      await store.forTenant(a.id).signInLog.append({ ...entry, at: at(3) })
      await store.signInLog.prune(at(2))
      assert.deepEqual(
        (await store.forTenant(a.id).signInLog.list({ limit: 10 })).map((e) => e.at),
        [at(3)],
      )
    })
  })
}

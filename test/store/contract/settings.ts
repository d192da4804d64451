// The Store contract: service settings: get and set, the last writer wins, kept across migrations.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { at, type Fresh } from './support.ts'

export function defineSettingsContract(fresh: Fresh): void {
  describe('service settings', () => {
    it('answers undefined for a setting never written', async (t) => {
      const { store } = await fresh(t)
      assert.equal(await store.settings.get('public_url'), undefined)
    })

    it('stores a setting, replaces it on the next write, and keeps keys apart', async (t) => {
      const { store } = await fresh(t)
      await store.settings.set('public_url', 'http://127.0.0.1:8080', at(1))
      await store.settings.set('other', 'x', at(1))
      await store.settings.set('public_url', 'https://rollcall.example.com', at(2))
      assert.deepEqual(await store.settings.get('public_url'), {
        key: 'public_url',
        value: 'https://rollcall.example.com',
        updatedAt: at(2),
      })
      assert.deepEqual(await store.settings.get('other'), {
        key: 'other',
        value: 'x',
        updatedAt: at(1),
      })
    })

    it('keeps settings when migrations run again', async (t) => {
      const { store } = await fresh(t)
      await store.settings.set('public_url', 'https://rollcall.example.com', at(1))
      await store.migrate()
      assert.equal((await store.settings.get('public_url'))?.value, 'https://rollcall.example.com')
    })
  })
}

// Retention of the event log: EVENT_RETENTION_DAYS (validated, default 30) and the pruning in
// batches that the server runs with the provisioning log's.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { pruneEvents } from '../../src/provisioning/log-writer.ts'
import { build } from '../helper.ts'
import { eventsOf } from './support.ts'

describe('event retention', () => {
  it('defaults to 30 days and refuses a value that is not a positive number of days', () => {
    const base = { DATA_DIR: '/tmp', PUBLIC_URL: 'https://rollcall.test' }
    assert.equal(loadConfig(base).events.retentionDays, 30)
    assert.equal(loadConfig({ ...base, EVENT_RETENTION_DAYS: '7' }).events.retentionDays, 7)
    for (const bad of ['0', '-1', 'soon', '1.5']) {
      assert.throws(() => loadConfig({ ...base, EVENT_RETENTION_DAYS: bad }), ConfigError, bad)
    }
  })

  it('prunes only events older than the retention, in batches', async (t) => {
    const h = await build(t)
    const drafts = Array.from({ length: 2500 }, (_, i) => ({
      type: 'user.updated',
      data: { i },
      actor: { type: 'system' as const },
      requestId: null,
    }))
    await h.store.transaction((tx) => tx.forTenant(h.acme.tenant.id).events.append(drafts))
    const total = (await eventsOf(h, h.acme)).length
    assert.equal(await pruneEvents(h.store, 30), 0)
    assert.equal((await eventsOf(h, h.acme)).length, total)
    // 31 days on, every one of them is older than 30 days.
    assert.equal(await pruneEvents(h.store, 30, Date.now() + 31 * 86_400_000), total)
    assert.deepEqual(await eventsOf(h, h.acme), [])
  })
})

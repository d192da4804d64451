import assert from 'node:assert/strict'
import { test } from 'node:test'
import { newEventId } from './events.ts'

test('event ids are time-ordered base32 and distinct across refills of the random pool', () => {
  const ids = Array.from({ length: 1000 }, (_, i) => newEventId(1_700_000_000_000 + i))
  for (const id of ids) assert.match(id, /^evt_[0-9a-hjkmnp-tv-z]{26}$/)
  assert.equal(new Set(ids).size, ids.length)
  assert.deepEqual([...ids].sort(), ids)
  // Same millisecond: the random part differs.
  assert.notEqual(newEventId(1), newEventId(1))
})

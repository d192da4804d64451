import assert from 'node:assert/strict'
import { test } from 'node:test'
import { newId } from './ids.ts'

test('ids are UUIDv7, distinct and ordered, across refills of the random pool', () => {
  // 18 random bytes an id at most: 2000 ids draw the 4 KiB pool several times over.
  const ids = Array.from({ length: 2000 }, () => newId())
  for (const id of ids) {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  }
  assert.equal(new Set(ids).size, ids.length)
  assert.deepEqual([...ids].sort(), ids)
})

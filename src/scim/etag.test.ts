// Tests of the entity tag format (RFC 7644 §3.14, RFC 7232 §2.3) and If-Match list matching.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ETAG_PREFIX, ETAG_SUFFIX, etagListMatches, etagOf } from './etag.ts'

describe('etagOf', () => {
  it('writes the weak tag W/"<version>", the prefix and suffix the SQL compiler renders', () => {
    assert.equal(etagOf(3), 'W/"3"')
    assert.equal(`${ETAG_PREFIX}3${ETAG_SUFFIX}`, etagOf(3))
  })
})

describe('etagListMatches', () => {
  it('matches "*", the weak tag and the strong tag of the version, in a list', () => {
    assert.equal(etagListMatches('*', 3), true)
    assert.equal(etagListMatches('W/"3"', 3), true)
    assert.equal(etagListMatches('"3"', 3), true)
    assert.equal(etagListMatches('W/"1", W/"3"', 3), true)
  })

  it('does not match another version', () => {
    assert.equal(etagListMatches('W/"2"', 3), false)
    assert.equal(etagListMatches('W/"31"', 3), false)
  })
})

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ScimError } from './errors.ts'
import { parseListParams } from './list-params.ts'
import { LENIENT_QUIRKS } from './resources/quirks.ts'

const LIMITS = { maxResults: 1000, defaultPageSize: 100, maxFilterLength: 4096 }
const parse = (query: Record<string, unknown>) => parseListParams(query, LIMITS, LENIENT_QUIRKS)

function rejects(query: Record<string, unknown>, pattern: RegExp): void {
  assert.throws(
    () => parse(query),
    (error: unknown) =>
      error instanceof ScimError &&
      error.status === 400 &&
      error.scimType === 'invalidValue' &&
      pattern.test(error.detail),
    JSON.stringify(query),
  )
}

describe('parseListParams: startIndex and count (RFC 7644 §3.4.2.4)', () => {
  it('reads startIndex below 1 as 1, a negative count as 0, and clamps count to the maximum', () => {
    assert.equal(parse({ startIndex: '-5' }).startIndex, 1)
    assert.equal(parse({ startIndex: 0 }).startIndex, 1)
    assert.equal(parse({ count: '-3' }).count, 0)
    assert.equal(parse({ count: 5000 }).count, 1000)
    assert.equal(parse({}).count, 100)
  })

  it('accepts every safe integer', () => {
    assert.equal(
      parse({ startIndex: String(Number.MAX_SAFE_INTEGER) }).startIndex,
      Number.MAX_SAFE_INTEGER,
    )
    assert.equal(parse({ count: -Number.MAX_SAFE_INTEGER }).count, 0)
  })

  it('refuses integers past 2^53 and infinities with 400 invalidValue', () => {
    rejects(
      { startIndex: '99999999999999999999' },
      /startIndex must be an integer between .*9007199254740991/,
    )
    rejects({ startIndex: 1e308 }, /startIndex must be an integer between/)
    rejects({ startIndex: -1e308 }, /startIndex must be an integer between/)
    rejects({ count: '9007199254740992' }, /count must be an integer between/)
    rejects({ count: '1e400' }, /count must be an integer, got "1e400"/)
  })

  it('refuses values that are not integers, whatever their JSON type', () => {
    rejects({ count: 1.5 }, /count must be an integer, got 1.5/)
    rejects({ count: 'ten' }, /count must be an integer/)
    rejects({ count: true }, /count must be an integer, got true/)
    rejects({ count: [] }, /count must be an integer, got \[\]/)
    rejects({ startIndex: ['1', '2'] }, /startIndex must be an integer/)
    rejects({ startIndex: { n: 1 } }, /startIndex must be an integer/)
  })
})

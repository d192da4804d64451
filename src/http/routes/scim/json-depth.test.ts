import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { exceedsJsonDepth } from './json-depth.ts'

describe('exceedsJsonDepth', () => {
  it('counts nested arrays and objects against the limit', () => {
    assert.equal(exceedsJsonDepth('{"a": [{"b": 1}]}', 3), false)
    assert.equal(exceedsJsonDepth('{"a": [{"b": 1}]}', 2), true)
    assert.equal(exceedsJsonDepth('[[], [], {}, [1, 2]]', 2), false)
    assert.equal(exceedsJsonDepth('"just a string"', 0), false)
  })

  it('ignores brackets and braces inside strings, escaped quotes included', () => {
    assert.equal(exceedsJsonDepth('{"userName": "[[[[{{{{"}', 1), false)
    assert.equal(exceedsJsonDepth('{"a": "x\\"[[[[", "b": "\\\\"}', 1), false)
    assert.equal(exceedsJsonDepth('{"a": "\\\\", "b": [[]]}', 2), true)
  })

  it('finds a 500,000-deep body in one pass without recursion', () => {
    const deep = '['.repeat(500_000) + ']'.repeat(500_000)
    assert.equal(exceedsJsonDepth(deep, 64), true)
    assert.equal(exceedsJsonDepth(deep, 500_000), false)
  })
})

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseFilter } from '../filter/parser.ts'
import { USER_RESOURCE_TYPE } from '../schemas/index.ts'
import type { AttributeDefinition } from '../schemas/types.ts'
import {
  buildValueIndex,
  clearPrimariesExcept,
  filterCandidates,
  hasEqualValue,
  listedCandidates,
  pushValue,
  removeValue,
  replaceValue,
  valueKey,
} from './value-index.ts'

const EMAILS = USER_RESOURCE_TYPE.schema.attributes.find(
  (a) => a.name === 'emails',
) as AttributeDefinition

const candidates = (values: Record<string, unknown>[], filter: string) =>
  filterCandidates(buildValueIndex(values), parseFilter(filter), EMAILS)

describe('valueKey', () => {
  it('is the same for structurally equal values, whatever their key order', () => {
    assert.equal(valueKey({ b: 1, a: [{ y: 2, x: 1 }] }), valueKey({ a: [{ x: 1, y: 2 }], b: 1 }))
    assert.equal(valueKey({ a: 1, b: undefined }), valueKey({ a: 1 }))
    assert.notEqual(valueKey({ a: 1, b: null }), valueKey({ a: 1 }))
    assert.notEqual(valueKey({ a: [1, 2] }), valueKey({ a: [2, 1] }))
  })
})

describe('buildValueIndex', () => {
  it('keeps equality, primaries and text lookups in step with pushes, replaces and removes', () => {
    const work = { value: 'w@example.com', type: 'work', primary: true }
    const home = { value: 'h@example.com', type: 'home' }
    const index = buildValueIndex([work, home])
    assert.deepEqual(filterCandidates(index, parseFilter('type eq "Work"'), EMAILS), [work])
    const other = { value: 'o@example.com', type: 'work' }
    pushValue(index, other)
    assert.equal(hasEqualValue(index, { type: 'work', value: 'o@example.com' }), true)
    const renamed = { ...home, type: 'work' }
    replaceValue(index, home, renamed)
    assert.deepEqual(
      new Set(filterCandidates(index, parseFilter('type eq "work"'), EMAILS)),
      new Set([work, renamed, other]),
    )
    assert.equal(hasEqualValue(index, home), false)
    removeValue(index, work)
    assert.deepEqual(index.values, [renamed, other])
    assert.deepEqual([...index.primaries], [])
    assert.deepEqual(filterCandidates(index, parseFilter('value eq "w@example.com"'), EMAILS), [])
  })

  it('clears primary on every value but the touched ones', () => {
    const a = { value: 'a@example.com', primary: true }
    const b = { value: 'b@example.com', primary: true }
    const index = buildValueIndex([a, { value: 'c@example.com' }])
    pushValue(index, b)
    clearPrimariesExcept(index, new Set([b]))
    assert.deepEqual(index.values, [
      { value: 'a@example.com', primary: false },
      { value: 'c@example.com' },
      b,
    ])
    assert.deepEqual([...index.primaries], [b])
    clearPrimariesExcept(index, new Set([{ value: 'x', primary: false }]))
    assert.deepEqual([...index.primaries], [b])
  })
})

describe('filterCandidates', () => {
  const values = [
    { value: 'A@example.com', type: 'work' },
    { value: 'b@example.com', type: 'home' },
    { Value: 'a@EXAMPLE.com' },
  ]

  it('finds the values a string eq may match, case-insensitively, and stray spellings', () => {
    assert.deepEqual(candidates(values, 'value eq "a@example.com"'), [values[0], values[2]])
    assert.deepEqual(candidates(values, 'type eq "HOME" and value co "b"'), [values[1]])
    assert.deepEqual(candidates(values, 'value co "b" and type eq "home"'), [values[1]])
  })

  it('declines filters without a string equality: every value must then be tested', () => {
    for (const filter of [
      'value co "a"',
      'primary eq true',
      'type eq "work" or type eq "home"',
      'not (type eq "work")',
      'type pr',
    ]) {
      assert.equal(candidates(values, filter), undefined, filter)
    }
  })

  it('finds listed values by a string sub-attribute they give', () => {
    const index = buildValueIndex(values)
    assert.deepEqual(listedCandidates(index, { type: 'home', value: 'x' }, EMAILS), [values[1]])
    assert.equal(listedCandidates(index, { primary: true }, EMAILS), undefined)
    assert.equal(listedCandidates(index, 'a@example.com', EMAILS), undefined)
  })
})

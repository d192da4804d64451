// Unit tests of one attribute value's coercion (RFC 7643 §2.3–2.5), as PATCH uses it; the body
// normaliser's tests (normalize.test.ts) cover every data type through whole bodies.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { ScimError } from '../errors.ts'

import {
  ENTERPRISE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA_URN,
  SCIM_USER_SCHEMA,
} from '../schemas/index.ts'
import type { AttributeDefinition } from '../schemas/types.ts'
import { coerceAttributeValue } from './coerce-value.ts'
import { LENIENT_QUIRKS } from './quirks.ts'

const attribute = (name: string): AttributeDefinition => {
  const found = [...SCIM_USER_SCHEMA.attributes, ...ENTERPRISE_USER_SCHEMA.attributes].find(
    (candidate) => candidate.name === name,
  )
  assert.ok(found, name)
  return found
}

/** Asserts a ScimError with this status/scimType whose detail contains every fragment. */
function rejects(fn: () => unknown, scimType: string, ...fragments: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`)
    assert.equal(error.status, 400)
    assert.equal(error.scimType, scimType)
    for (const fragment of fragments) {
      assert.ok(
        error.detail.includes(fragment),
        `detail ${JSON.stringify(error.detail)} lacks ${fragment}`,
      )
    }
    return true
  })
}

describe('coerceAttributeValue', () => {
  it('coerces one PATCH value the way bodies are coerced', () => {
    assert.equal(
      coerceAttributeValue(attribute('active'), 'False', 'active', LENIENT_QUIRKS),
      false,
    )
    assert.deepEqual(
      coerceAttributeValue(
        attribute('manager'),
        'm1',
        `${ENTERPRISE_USER_SCHEMA_URN}:manager`,
        LENIENT_QUIRKS,
      ),
      { value: 'm1' },
    )
    assert.deepEqual(
      coerceAttributeValue(
        attribute('emails'),
        [{ Value: 'a@b.c', Primary: 'true' }],
        'emails',
        LENIENT_QUIRKS,
      ),
      [{ value: 'a@b.c', primary: true }],
    )
  })

  it('returns undefined for null and empty arrays', () => {
    assert.equal(coerceAttributeValue(attribute('emails'), [], 'emails', LENIENT_QUIRKS), undefined)
    assert.equal(coerceAttributeValue(attribute('title'), null, 'title', LENIENT_QUIRKS), undefined)
  })

  it('normalises dateTime values to ISO 8601 UTC with milliseconds', () => {
    const definition: AttributeDefinition = {
      ...attribute('displayName'),
      name: 'when',
      type: 'dateTime',
    }
    assert.equal(
      coerceAttributeValue(definition, '2024-03-01T10:00:00+02:00', 'when', LENIENT_QUIRKS),
      '2024-03-01T08:00:00.000Z',
    )
    assert.equal(
      coerceAttributeValue(definition, '2024-03-01T10:00:00', 'when', LENIENT_QUIRKS),
      '2024-03-01T10:00:00.000Z',
    )
    for (const bad of ['2024-02-30T00:00:00Z', '2024-03-01', 'yesterday', 1709280000]) {
      rejects(
        () => coerceAttributeValue(definition, bad, 'when', LENIENT_QUIRKS),
        'invalidValue',
        '"when"',
        'date-time',
      )
    }
  })

  it('checks integer and decimal values', () => {
    const integer: AttributeDefinition = { ...attribute('displayName'), name: 'n', type: 'integer' }
    const decimal: AttributeDefinition = { ...attribute('displayName'), name: 'd', type: 'decimal' }
    assert.equal(coerceAttributeValue(integer, 3, 'n', LENIENT_QUIRKS), 3)
    assert.equal(coerceAttributeValue(decimal, 3.5, 'd', LENIENT_QUIRKS), 3.5)
    rejects(
      () => coerceAttributeValue(integer, 3.5, 'n', LENIENT_QUIRKS),
      'invalidValue',
      'integer',
    )
    rejects(
      () => coerceAttributeValue(decimal, '3.5', 'd', LENIENT_QUIRKS),
      'invalidValue',
      'number',
    )
  })
})

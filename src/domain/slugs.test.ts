// Unit tests of the tenant slug rule.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { isValidSlug } from './slugs.ts'

describe('isValidSlug', () => {
  it('accepts lower-case letters, digits and dashes', () => {
    for (const slug of ['acme', 'a', '0', 'acme-eu-2', 'a-', '9lives']) {
      assert.equal(isValidSlug(slug), true, slug)
    }
  })

  it('accepts at most 63 characters', () => {
    assert.equal(isValidSlug('a'.repeat(63)), true)
    assert.equal(isValidSlug('a'.repeat(64)), false)
  })

  it('refuses an empty slug, a leading dash, upper case, spaces and other characters', () => {
    for (const slug of [
      '',
      '-acme',
      'Acme',
      'ACME',
      ' acme',
      'acme ',
      'ac me',
      'acme_eu',
      'a.b',
      'ä',
    ]) {
      assert.equal(isValidSlug(slug), false, JSON.stringify(slug))
    }
  })

  it('refuses a trailing newline', () => {
    assert.equal(isValidSlug('acme\n'), false)
  })
})

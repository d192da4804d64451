import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hashPassword, needsRehash, SCRYPT_PARAMS, verifyPassword } from './passwords.ts'

describe('passwords', () => {
  it('hashes at N = 2^17, r = 8, p = 1 by default and records them in the hash', async () => {
    assert.deepEqual(SCRYPT_PARAMS, { N: 131072, r: 8, p: 1 })
    const hash = await hashPassword('correct horse battery staple')
    const [scheme, n, r, p, salt, key] = hash.split('$')
    assert.deepEqual([scheme, n, r, p], ['scrypt', '131072', '8', '1'])
    assert.equal(Buffer.from(salt ?? '', 'base64url').length, 16)
    assert.equal(Buffer.from(key ?? '', 'base64url').length, 32)
    assert.equal(await verifyPassword('correct horse battery staple', hash), true)
    assert.equal(await verifyPassword('correct horse battery stapler', hash), false)
    assert.equal(needsRehash(hash), false)
  })

  it('verifies a hash at the parameters it records, and says when they are not the current ones', async () => {
    const old = await hashPassword('pw', { N: 2 ** 14, r: 8, p: 1 })
    assert.match(old, /^scrypt\$16384\$8\$1\$/)
    assert.equal(await verifyPassword('pw', old), true)
    assert.equal(needsRehash(old), true)
    assert.equal(needsRehash(old, { N: 2 ** 14, r: 8, p: 1 }), false)
  })

  it('refuses stored parameters that would ask for more memory or time than allowed, and malformed hashes', async () => {
    const salt = Buffer.alloc(16).toString('base64url')
    const key = Buffer.alloc(32).toString('base64url')
    for (const stored of [
      `scrypt$${2 ** 24}$8$1$${salt}$${key}`,
      `scrypt$1000$8$1$${salt}$${key}`,
      `scrypt$16384$64$1$${salt}$${key}`,
      `scrypt$16384$8$1$${salt}`,
      `bcrypt$16384$8$1$${salt}$${key}`,
      '',
    ]) {
      assert.equal(await verifyPassword('pw', stored), false, stored)
    }
    await assert.rejects(hashPassword('pw', { N: 3, r: 8, p: 1 }), RangeError)
  })
})

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from './config.ts'

describe('loadConfig', () => {
  it('applies the documented defaults and derives PUBLIC_URL from HOST and PORT', () => {
    const config = loadConfig({})
    assert.equal(config.port, 8080)
    assert.equal(config.host, '127.0.0.1')
    assert.equal(config.publicUrl, 'http://127.0.0.1:8080')
    assert.equal(config.dataDir, './data')
    assert.equal(config.databaseUrl, undefined)
    assert.equal(config.trustProxy, false)
    assert.ok(Object.isFrozen(config))
  })

  it('reads TRUST_PROXY as a boolean, a hop count or a list of proxies', () => {
    assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true)
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2)
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy, [
      '10.0.0.0/8',
      '127.0.0.1',
    ])
  })

  it('reports every invalid variable at once, without echoing secrets', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        TRUST_PROXY: 'bogus!',
        ROLLCALL_SECRET: 'short',
        DATABASE_URL: 'mysql://u:pw@h/db',
      })
      assert.fail('should throw')
    } catch (error) {
      assert.ok(error instanceof ConfigError)
      assert.equal(error.problems.length, 4)
      assert.doesNotMatch(error.message, /short|pw@/)
    }
  })

  it('strips a trailing slash from PUBLIC_URL', () => {
    assert.equal(
      loadConfig({ PUBLIC_URL: 'https://id.example.com/' }).publicUrl,
      'https://id.example.com',
    )
  })

  it('reads the PATCH operation and JSON depth bounds, 1000 and 64 by default', () => {
    assert.equal(loadConfig({}).scim.maxPatchOperations, 1000)
    assert.equal(loadConfig({}).scim.maxJsonDepth, 64)
    const config = loadConfig({ SCIM_MAX_PATCH_OPERATIONS: '50', SCIM_MAX_JSON_DEPTH: '16' })
    assert.equal(config.scim.maxPatchOperations, 50)
    assert.equal(config.scim.maxJsonDepth, 16)
    assert.throws(() => loadConfig({ SCIM_MAX_PATCH_OPERATIONS: '0' }), ConfigError)
    assert.throws(() => loadConfig({ SCIM_MAX_JSON_DEPTH: 'deep' }), ConfigError)
  })

  it('reads the webhook schedule in seconds (fractions allowed), timeout and concurrency', () => {
    const defaults = loadConfig({}).webhooks
    assert.deepEqual(
      defaults.retryScheduleMs,
      [5, 300, 1800, 7200, 18000, 36000, 36000].map((s) => s * 1000),
    )
    assert.deepEqual([defaults.timeoutMs, defaults.concurrency], [15_000, 8])
    const fast = loadConfig({
      WEBHOOK_RETRY_SECONDS: '0.2, 0.4',
      WEBHOOK_TIMEOUT_SECONDS: '1.5',
      WEBHOOK_CONCURRENCY: '2',
    }).webhooks
    assert.deepEqual(
      [fast.retryScheduleMs, fast.timeoutMs, fast.concurrency],
      [[200, 400], 1500, 2],
    )
    for (const bad of ['5,,300', '-1', 'five', '5;300']) {
      assert.throws(() => loadConfig({ WEBHOOK_RETRY_SECONDS: bad }), /WEBHOOK_RETRY_SECONDS/, bad)
    }
    assert.throws(() => loadConfig({ WEBHOOK_TIMEOUT_SECONDS: '0' }), /WEBHOOK_TIMEOUT_SECONDS/)
  })

  it('reads the DNS servers and timeout of domain verification', () => {
    assert.deepEqual(loadConfig({}).domainVerification, { dnsServers: [], timeoutMs: 5000 })
    assert.deepEqual(
      loadConfig({
        DOMAIN_VERIFICATION_DNS_SERVERS: '10.0.0.2, 127.0.0.1:5353',
        DOMAIN_VERIFICATION_TIMEOUT_SECONDS: '2',
      }).domainVerification,
      { dnsServers: ['10.0.0.2', '127.0.0.1:5353'], timeoutMs: 2000 },
    )
    assert.throws(() => loadConfig({ DOMAIN_VERIFICATION_DNS_SERVERS: 'dns://x;rm' }), ConfigError)
    assert.throws(() => loadConfig({ DOMAIN_VERIFICATION_TIMEOUT_SECONDS: '0' }), ConfigError)
  })
})

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loggerOptions, redactLogText, redactUrl, serializeRequest } from './log-serializers.ts'

describe('redactUrl', () => {
  it('masks the one-time token of set-password and verification links', () => {
    assert.equal(redactUrl('/login/set-password/abc123'), '/login/set-password/[redacted]')
    assert.equal(redactUrl('/sso/verify/abc123?x=1'), '/sso/verify/[redacted]?x=1')
    assert.equal(redactUrl('/sso/verify/abc/extra'), '/sso/verify/[redacted]')
    assert.equal(redactUrl('/sso/%76erify/abc'), '/sso/%76erify/[redacted]')
    assert.equal(
      redactUrl('/api/tenants/acme/connections/c1/verify'),
      '/api/tenants/acme/connections/c1/verify',
    )
  })

  it('masks OIDC code and state, SCIM filters and the email typed on /sso', () => {
    assert.equal(
      redactUrl('/sso/callback?code=c0de&state=st4te&iss=https%3A%2F%2Fidp'),
      '/sso/callback?code=[redacted]&state=[redacted]&iss=https%3A%2F%2Fidp',
    )
    assert.equal(
      redactUrl('/scim/v2/acme/Users?filter=userName%20eq%20%22a%40x.io%22&count=1'),
      '/scim/v2/acme/Users?filter=[redacted]&count=1',
    )
    assert.equal(
      redactUrl('/scim/v2/acme/Users?FILTER=x&%66ilter=y'),
      '/scim/v2/acme/Users?FILTER=[redacted]&%66ilter=[redacted]',
    )
    assert.equal(redactUrl('/sso?q=someone%40x.io'), '/sso?q=[redacted]')
    assert.equal(redactUrl('/scim/v2/acme/Users?startIndex=1'), '/scim/v2/acme/Users?startIndex=1')
  })
})

describe('redactLogText', () => {
  it('masks tokens and secret parameters inside messages and stacks, keeping the line JSON', () => {
    const line = JSON.stringify({
      msg: 'Route GET:/sso/verify/tok3n/x not found',
      err: {
        message: 'failed at /login/set-password/tok3n',
        stack: 'Error: /sso/callback?code=c0de&state=st4te\n    at x',
      },
      url: '/scim/v2/acme/Users?filter=userName%20eq%20"a@x.io"&count=2',
    })
    const masked = redactLogText(line)
    assert.doesNotMatch(masked, /tok3n|c0de|st4te|a@x\.io/)
    assert.deepEqual(JSON.parse(masked), {
      msg: 'Route GET:/sso/verify/[redacted]/x not found',
      err: {
        message: 'failed at /login/set-password/[redacted]',
        stack: 'Error: /sso/callback?code=[redacted]&state=[redacted]\n    at x',
      },
      url: '/scim/v2/acme/Users?filter=[redacted]&count=2',
    })
    assert.equal(redactLogText(masked), masked)
  })
})

describe('serializeRequest and loggerOptions', () => {
  it('serializes the request as Fastify does, with the URL redacted', () => {
    const request = {
      method: 'GET',
      url: '/sso/verify/tok3n',
      headers: {},
      host: 'rollcall.test',
      ip: '127.0.0.1',
      socket: { remotePort: 4000 },
    }
    assert.deepEqual(serializeRequest(request as never), {
      method: 'GET',
      url: '/sso/verify/[redacted]',
      version: undefined,
      host: 'rollcall.test',
      remoteAddress: '127.0.0.1',
      remotePort: 4000,
    })
  })

  it('adds the redaction to the given options, and keeps false as no logger', () => {
    assert.equal(loggerOptions('info', false), false)
    const options = loggerOptions('warn', { level: 'debug', serializers: { x: String } })
    assert.ok(options)
    assert.equal(options.level, 'debug')
    assert.deepEqual(Object.keys(options.serializers as object), ['x', 'req'])
    assert.equal((options.hooks as { streamWrite: unknown }).streamWrite, redactLogText)
    assert.deepEqual(Object.keys(loggerOptions('warn', undefined) || {}), [
      'level',
      'serializers',
      'hooks',
    ])
    assert.equal((loggerOptions('warn', true) || {}).level, 'warn')
  })
})

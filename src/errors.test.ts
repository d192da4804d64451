// The error catalogue: every code maps to one status, the named constructors read as the rules,
// and headers (Retry-After) travel with the error.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AppError, ERRORS } from './errors.ts'

describe('AppError', () => {
  it('takes its status from the catalogue entry of its code', () => {
    for (const [code, spec] of Object.entries(ERRORS)) {
      const error = new AppError(code as keyof typeof ERRORS)
      assert.equal(error.status, spec.status, code)
      assert.equal(error.detail, spec.message, code)
      assert.equal(error.message, error.detail, code)
    }
  })

  it('names the rule through its constructors', () => {
    assert.equal(AppError.notFound('No group named "x" in acme.').code, 'not_found')
    assert.equal(AppError.conflict('taken').status, 409)
    assert.equal(AppError.domainTaken('taken').status, 409)
    assert.equal(AppError.domainNotVerified('no TXT').status, 422)
    assert.equal(AppError.invalidRequest('bad').status, 400)
    assert.equal(AppError.unauthenticated().detail, ERRORS.unauthenticated.message)
    assert.equal(AppError.forbidden('no').status, 403)
  })

  it('carries Retry-After for unavailable and too_many_attempts', () => {
    assert.deepEqual(AppError.unavailable().headers, { 'retry-after': '5' })
    assert.equal(AppError.unavailable().status, 503)
    assert.deepEqual(AppError.tooManyAttempts('wait', 7).headers, { 'retry-after': '7' })
  })

  it('keeps a framework-reported client status, as invalid_request', () => {
    const error = AppError.fromFrameworkStatus(404, 'Route not found')
    assert.equal(error.code, 'invalid_request')
    assert.equal(error.status, 404)
  })

  it('never says more than its fixed detail for internal errors', () => {
    const error = AppError.internal(new Error('SQLITE_CORRUPT at /var/lib/secret.db'))
    assert.equal(error.detail, ERRORS.internal.message)
    assert.equal(error.status, 500)
  })
})

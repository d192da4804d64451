// The one mapping of thrown values to the catalogue: application errors pass through, store and
// framework conditions get their code, everything else is internal with a fixed detail.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AppError, ERRORS } from '../../errors.ts'
import { StoreUnavailable, UniqueViolation } from '../../store/store.ts'
import { toAppError, type FrameworkWording } from './to-app-error.ts'

const WORDING: FrameworkWording = {
  unavailable: 'down',
  bodyTooLarge: 'too large',
  unsupportedMediaType: 'media',
  emptyJsonBody: (m) => `empty: ${m}`,
  invalidContentLength: (m) => `length: ${m}`,
  invalidJson: (m) => `json: ${m}`,
  validation: (m) => `validation: ${m}`,
}

const fastifyError = (code: string, statusCode: number, message = code) =>
  Object.assign(new Error(message), { code, statusCode })

describe('toAppError', () => {
  it('passes application errors through', () => {
    const error = AppError.conflict('taken')
    assert.equal(toAppError(error, WORDING), error)
  })

  it('answers an unreachable store with unavailable and Retry-After', () => {
    const error = toAppError(new StoreUnavailable('connection refused'), WORDING)
    assert.equal(error.code, 'unavailable')
    assert.equal(error.status, 503)
    assert.equal(error.detail, 'down')
    assert.deepEqual(error.headers, { 'retry-after': '5' })
  })

  it("maps Fastify's refusals to their codes, in the surface's words", () => {
    const cases: [Error, string, number, string][] = [
      [fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413), 'payload_too_large', 413, 'too large'],
      [fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), 'unsupported_media_type', 415, 'media'],
      [fastifyError('FST_ERR_CTP_EMPTY_JSON_BODY', 400, 'e'), 'invalid_request', 400, 'empty: e'],
      [
        fastifyError('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'l'),
        'invalid_request',
        400,
        'length: l',
      ],
      [new SyntaxError('Unexpected end'), 'invalid_request', 400, 'json: Unexpected end'],
      [
        Object.assign(fastifyError('FST_ERR_VALIDATION', 400, 'body/name too long'), {
          validation: [{}],
        }),
        'invalid_request',
        400,
        'validation: body/name too long',
      ],
      [fastifyError('FST_ERR_SOMETHING', 405, 'nope'), 'invalid_request', 405, 'nope'],
    ]
    for (const [thrown, code, status, detail] of cases) {
      const error = toAppError(thrown, WORDING)
      assert.deepEqual([error.code, error.status, error.detail], [code, status, detail])
    }
  })

  it('hides everything else behind internal, an escaped UniqueViolation included', () => {
    for (const thrown of [
      new Error('SELECT secret'),
      new UniqueViolation('tenant_users_user_name'),
      fastifyError('FST_ERR_BAD_STATUS_CODE', 500),
      'a string',
      undefined,
    ]) {
      const error = toAppError(thrown, WORDING)
      assert.equal(error.code, 'internal')
      assert.equal(error.detail, ERRORS.internal.message)
    }
  })
})

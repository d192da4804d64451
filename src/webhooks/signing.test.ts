import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Webhook } from 'standardwebhooks'
import { newWebhookSecret, signatureHeader, signWebhook } from './signing.ts'

describe('webhook signing', () => {
  it('matches the Standard Webhooks reference: the test vector of the specification', () => {
    // The example of the Standard Webhooks specification and its libraries' tests.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek'
    const body = '{"test": 2432232314}'
    assert.equal(
      signWebhook(secret, id, 1614265330, body),
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    )
  })

  it('makes secrets of 32 random bytes that verify with the standardwebhooks package', () => {
    const secret = newWebhookSecret()
    assert.equal(Buffer.from(secret.slice('whsec_'.length), 'base64').length, 32)
    assert.notEqual(newWebhookSecret(), secret)
    const other = newWebhookSecret()
    const timestamp = Math.floor(Date.now() / 1000)
    const body = '{"id":"evt_1","type":"user.created"}'
    const headers = {
      'webhook-id': 'evt_1',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader([secret, other], 'evt_1', timestamp, body),
    }
    assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body))
    assert.deepEqual(new Webhook(other).verify(body, headers), JSON.parse(body))
    assert.throws(() => new Webhook(newWebhookSecret()).verify(body, headers))
  })
})

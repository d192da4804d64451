// One delivery attempt: POST the event's stored body, unchanged, with the Standard Webhooks
// headers. Redirects are not followed (a 3xx is a failure the operator should see), and the
// response body is read only as far as the error text needs.
import { signatureHeader } from './signing.ts'
import { parseRetryAfter } from './retry.ts'

export const USER_AGENT = 'Rollcall-Webhooks/1.0'

/** The longest error text kept in the delivery log. */
const MAX_ERROR = 300

export interface WebhookMessage {
  readonly url: string
  /** The secrets to sign with, the newest first. */
  readonly secrets: readonly string[]
  readonly eventId: string
  readonly body: string
}

export type AttemptResult =
  | { readonly kind: 'delivered'; readonly status: number; readonly latencyMs: number }
  | { readonly kind: 'gone'; readonly status: 410; readonly latencyMs: number }
  | {
      readonly kind: 'failed'
      readonly status: number | null
      readonly latencyMs: number
      readonly error: string
      readonly retryAfterMs: number | undefined
    }

export async function sendWebhook(
  message: WebhookMessage,
  timeoutMs: number,
  /** Cuts the attempt short (the worker stopping). */
  stop?: AbortSignal,
): Promise<AttemptResult> {
  const started = performance.now()
  const latency = () => performance.now() - started
  const timestamp = Math.floor(Date.now() / 1000)
  try {
    const response = await fetch(message.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'webhook-id': message.eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(
          message.secrets,
          message.eventId,
          timestamp,
          message.body,
        ),
      },
      body: message.body,
      redirect: 'manual',
      signal: stop
        ? AbortSignal.any([AbortSignal.timeout(timeoutMs), stop])
        : AbortSignal.timeout(timeoutMs),
    })
    const status = response.status
    if (status >= 200 && status < 300) {
      await response.body?.cancel().catch(() => undefined)
      return { kind: 'delivered', status, latencyMs: latency() }
    }
    const snippet = await readSome(response, MAX_ERROR)
    if (status === 410) return { kind: 'gone', status, latencyMs: latency() }
    return {
      kind: 'failed',
      status,
      latencyMs: latency(),
      error: bound(`HTTP ${status}${snippet === '' ? '' : `: ${snippet}`}`),
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
    }
  } catch (error) {
    return {
      kind: 'failed',
      status: null,
      latencyMs: latency(),
      error: bound(describe(error, timeoutMs)),
      retryAfterMs: undefined,
    }
  }
}

function describe(error: unknown, timeoutMs: number): string {
  const name = (error as Error).name
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `timed out after ${timeoutMs / 1000} s`
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error)
}

function bound(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > MAX_ERROR ? `${flat.slice(0, MAX_ERROR - 1)}…` : flat
}

async function readSome(response: Response, max: number): Promise<string> {
  const reader = response.body?.getReader()
  if (!reader) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < max) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.byteLength
    }
  } catch {
    // The error text is a courtesy; the status says what happened.
  } finally {
    await reader.cancel().catch(() => undefined)
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, max)
}

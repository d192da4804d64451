// The provisioning log of the SCIM scope: every request's state starts here (scope.ts), and its
// outcome — status, scimType, detail, redacted bodies — is recorded once the response is sent.
// Requests without valid credentials are summarised per client address, so they cannot flood it.
import type { FastifyInstance } from 'fastify'
import type { ProvisioningLogWriter } from '../../../provisioning/log-writer.ts'
import { redactBody, REFUSED_OPERATION } from '../../../provisioning/log-writer.ts'
import type { ScimRequestState } from './scope.ts'

export interface ProvisioningLogOptions {
  readonly log: ProvisioningLogWriter
  /** Bodies longer than this are cut in the log (PROVISIONING_LOG_MAX_BODY_BYTES). */
  readonly maxBodyBytes: number
}

/** The first onRequest hook of the scope: the state the log and the handlers fill in. */
export function registerScimRequestState(app: FastifyInstance): void {
  app.decorateRequest('scim', null as unknown as ScimRequestState)
  app.addHook('onRequest', async (request) => {
    request.scim = {
      ctx: undefined,
      operation: `${request.method} ${request.routeOptions.url ?? ''}`,
      resourceType: null,
      resourceId: null,
      startedAt: process.hrtime.bigint(),
    }
  })
}

export function registerProvisioningLog(
  app: FastifyInstance,
  options: ProvisioningLogOptions,
): void {
  const { log, maxBodyBytes } = options
  // Keep the response text for the provisioning log (the reply payload is a string here).
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.scim?.ctx && typeof payload === 'string') {
      ;(reply as unknown as { scimPayload?: string }).scimPayload = payload
    }
    return payload
  })

  app.addHook('onResponse', async (request, reply) => {
    const state = request.scim
    if (!state?.ctx) return
    const payload = (reply as unknown as { scimPayload?: string }).scimPayload
    let scimType: string | null = null
    let detail: string | null = null
    if (reply.statusCode >= 400 && payload) {
      try {
        const body = JSON.parse(payload) as { scimType?: string; detail?: string }
        scimType = body.scimType ?? null
        detail = body.detail ?? null
      } catch {
        detail = null
      }
    }
    if (detail === null && state.ctx.warnings.length > 0) detail = state.ctx.warnings.join(' ')
    const agent = request.headers['user-agent']
    const entry = {
      tenantId: state.ctx.tenant.id,
      at: new Date().toISOString(),
      requestId: request.id,
      method: request.method,
      path: request.url,
      operation: state.operation,
      resourceType: state.resourceType,
      resourceId: state.resourceId,
      status: reply.statusCode,
      scimType,
      detail,
      durationMs: Number(process.hrtime.bigint() - state.startedAt) / 1e6,
      client: typeof agent === 'string' ? agent.slice(0, 200) : null,
      address: request.ip,
      requestBody: redactBody(request.body, maxBodyBytes),
      responseBody: redactBody(payload, maxBodyBytes),
    }
    if (state.operation === REFUSED_OPERATION) log.recordUnauthenticated(entry, request.ip)
    else log.record(entry)
  })
}

// RFC 7644 §3.7 /Bulk — placeholder until implemented.
import type { FastifyInstance } from 'fastify'
import { ScimError } from '../../../scim/errors.ts'

export function registerBulkRoute(
  app: FastifyInstance,
  _limits: { maxOperations: number; maxPayloadSize: number },
): void {
  app.post('/Bulk', async () => {
    throw ScimError.notImplemented('/Bulk is not supported yet.')
  })
}

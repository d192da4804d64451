// SCIM discovery (RFC 7644 §4): /ServiceProviderConfig, /ResourceTypes and /Schemas, built from
// scim/discovery.ts for the tenant's base URL; and /Me (§3.11), which SCIM tokens cannot serve.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ProvisioningContext } from '../../../provisioning/context.ts'
import {
  resourceTypeById,
  resourceTypes,
  schemaById,
  schemas,
  serviceProviderConfig,
} from '../../../scim/discovery.ts'
import { ScimError } from '../../../scim/errors.ts'
import { SCIM_CONTENT_TYPE } from '../../plugins/scim-errors.ts'
import { contextOf } from './scope.ts'

export interface DiscoveryLimits {
  readonly maxResults: number
  readonly bulkMaxOperations: number
  readonly maxBodyBytes: number
}

function discovery(request: FastifyRequest): ProvisioningContext {
  request.scim.operation = 'Discovery'
  return contextOf(request)
}

export function registerDiscoveryRoutes(app: FastifyInstance, limits: DiscoveryLimits): void {
  app.get('/ServiceProviderConfig', async (request, reply) => {
    const ctx = discovery(request)
    return reply.type(SCIM_CONTENT_TYPE).send(
      serviceProviderConfig({
        baseUrl: ctx.baseUrl,
        maxResults: limits.maxResults,
        bulk: {
          supported: true,
          maxOperations: limits.bulkMaxOperations,
          maxPayloadSize: limits.maxBodyBytes,
        },
        strictProfile: ctx.tenant.scimStrictProfile,
      }),
    )
  })
  app.get('/ResourceTypes', async (request, reply) =>
    reply.type(SCIM_CONTENT_TYPE).send(resourceTypes(discovery(request).baseUrl)),
  )
  app.get('/ResourceTypes/:id', async (request, reply) => {
    const id = (request.params as { id: string }).id
    const found = resourceTypeById(discovery(request).baseUrl, id)
    if (!found) throw ScimError.notFound('ResourceType', id)
    return reply.type(SCIM_CONTENT_TYPE).send(found)
  })
  app.get('/Schemas', async (request, reply) =>
    reply.type(SCIM_CONTENT_TYPE).send(schemas(discovery(request).baseUrl)),
  )
  app.get('/Schemas/:id', async (request, reply) => {
    const id = (request.params as { id: string }).id
    const found = schemaById(discovery(request).baseUrl, id)
    if (!found) throw ScimError.notFound('Schema', id)
    return reply.type(SCIM_CONTENT_TYPE).send(found)
  })

  // RFC 7644 §3.11: /Me needs a token that names a user; SCIM tokens name a tenant.
  app.all('/Me', async (request) => {
    request.scim.operation = 'Me'
    throw ScimError.notImplemented(
      "/Me is not supported: SCIM tokens authenticate a tenant's provisioning client, not a user.",
    )
  })
}

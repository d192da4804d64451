// /api/tenants/:tenant/domains — verified domains (SPEC §1 D10) for an Admin of the tenant: add a
// domain (the answer carries the TXT record to publish), verify it by DNS, list, remove. Vouching
// for a domain without DNS is the operator's (CLI `domain verify --force`), never a tenant admin's.
import type { FastifyInstance } from 'fastify'
import type { TxtResolver } from '../../../directory/domains.ts'
import {
  addDomain,
  domainView,
  getDomain,
  listDomains,
  removeDomain,
  verifyDomain,
} from '../../../directory/domains.ts'
import type { Store } from '../../../store/store.ts'
import { tenantOf } from '../../plugins/tenant.ts'
import { tenantParams } from './params.ts'

export interface DomainRouteDeps {
  readonly store: Store
  readonly resolveTxt: TxtResolver
}

const domainSchema = {
  type: 'object',
  properties: {
    domain: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'verified'] },
    txtName: { type: 'string' },
    txtValue: { type: 'string' },
    verifiedAt: { type: ['string', 'null'] },
    verifiedMethod: { type: ['string', 'null'] },
    verifiedBy: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
  },
} as const

const domainParams = {
  type: 'object',
  properties: {
    tenant: { type: 'string', maxLength: 63 },
    domain: { type: 'string', maxLength: 253 },
  },
  required: ['tenant', 'domain'],
} as const

type DomainParams = { Params: { tenant: string; domain: string } }

export function domainRoutes(app: FastifyInstance, deps: DomainRouteDeps): void {
  const { store } = deps

  app.get(
    '/tenants/:tenant/domains',
    {
      schema: { params: tenantParams, response: { 200: { type: 'array', items: domainSchema } } },
    },
    async (request) => (await listDomains(store, tenantOf(request))).map(domainView),
  )

  app.post<{ Body: { domain: string } }>(
    '/tenants/:tenant/domains',
    {
      schema: {
        params: tenantParams,
        body: {
          type: 'object',
          properties: { domain: { type: 'string', minLength: 1, maxLength: 253 } },
          required: ['domain'],
          additionalProperties: false,
        },
        response: { 201: domainSchema },
      },
    },
    async (request, reply) => {
      const added = await addDomain(store, tenantOf(request), request.body.domain)
      return reply.code(201).send(domainView(added))
    },
  )

  app.get<DomainParams>(
    '/tenants/:tenant/domains/:domain',
    { schema: { params: domainParams, response: { 200: domainSchema } } },
    async (request) => domainView(await getDomain(store, tenantOf(request), request.params.domain)),
  )

  app.post<DomainParams>(
    '/tenants/:tenant/domains/:domain/verify',
    { schema: { params: domainParams, response: { 200: domainSchema } } },
    async (request) => {
      const verified = await verifyDomain(store, tenantOf(request), request.params.domain, {
        method: 'dns',
        resolve: deps.resolveTxt,
      })
      return domainView(verified)
    },
  )

  app.delete<DomainParams>(
    '/tenants/:tenant/domains/:domain',
    { schema: { params: domainParams } },
    async (request, reply) => {
      await removeDomain(store, tenantOf(request), request.params.domain)
      return reply.code(204).send()
    },
  )
}

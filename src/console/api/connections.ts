// A tenant's OpenID Connect login connections (SPEC §4): /api/tenants/:tenant/connections, and
// its sign-in log (the outcomes of verifications).
import { request, tenantPath } from './client.ts'
import type { ConnectionInput, ConnectionView, SignInLogEntry } from './types.ts'

export const listConnections = (tenant: string) =>
  request<ConnectionView[]>('GET', tenantPath(tenant, 'connections'))

export const getConnection = (tenant: string, id: string) =>
  request<ConnectionView>('GET', tenantPath(tenant, 'connections', id))

export const createConnection = (tenant: string, input: ConnectionInput) =>
  request<ConnectionView>('POST', tenantPath(tenant, 'connections'), input)

export const editConnection = (tenant: string, id: string, input: ConnectionInput) =>
  request<ConnectionView>('PATCH', tenantPath(tenant, 'connections', id), input)

export const deleteConnection = (tenant: string, id: string) =>
  request<void>('DELETE', tenantPath(tenant, 'connections', id))

/** Starts a verification round trip: the URL of the IdP to send the browser to. */
export const startVerification = (tenant: string, id: string) =>
  request<{ url: string }>('POST', tenantPath(tenant, 'connections', id, 'verify'))

export const listSignInLog = (tenant: string, limit = 200) =>
  request<SignInLogEntry[]>('GET', `${tenantPath(tenant, 'sign-in-log')}?limit=${limit}`)

// The host application's OIDC clients: registered by the operator only (CLI), first-party,
// confidential (the secret by client_secret_basic or client_secret_post, either for every client:
// oidc-provider takes both), authorization code flow, redirect URIs compared exactly. The secret is shown once and kept sealed with the instance secret,
// because oidc-provider must compare the presented secret with it.
import { newId } from '../domain/ids.ts'
import { newSecretToken } from '../credentials/one-time-tokens.ts'
import type { SecretBox } from '../credentials/secret-box.ts'
import { AppError } from '../errors.ts'
import type { OidcClientRecord, Store } from '../store/store.ts'

export const TOKEN_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const

export interface NewOidcClient {
  readonly name: string
  readonly redirectUris: readonly string[]
}

export interface CreatedOidcClient {
  readonly clientId: string
  /** Shown once; only its sealed form is kept. */
  readonly clientSecret: string
  readonly client: OidcClientRecord
}

/** Why a redirect URI cannot be registered, or undefined. */
export function redirectUriProblem(uri: string): string | undefined {
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    return `"${uri}" is not an absolute URL.`
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `"${uri}" must be an https:// (or http://) URL.`
  }
  if (url.hash !== '' || uri.includes('#')) return `"${uri}" must not have a fragment (#…).`
  if (uri.length > 2000) return 'A redirect URI must be at most 2000 characters long.'
  return undefined
}

export async function createOidcClient(
  store: Store,
  box: SecretBox,
  input: NewOidcClient,
  now: Date = new Date(),
): Promise<CreatedOidcClient> {
  const name = input.name.trim()
  if (name === '' || name.length > 200) {
    throw AppError.invalidRequest('The client name must be 1 to 200 characters long.')
  }
  if (input.redirectUris.length === 0 || input.redirectUris.length > 20) {
    throw AppError.invalidRequest('Give 1 to 20 redirect URIs (--redirect-uri).')
  }
  for (const uri of input.redirectUris) {
    const problem = redirectUriProblem(uri)
    if (problem) throw AppError.invalidRequest(problem)
  }
  const clientSecret = newSecretToken()
  const client: OidcClientRecord = {
    id: newId(),
    name,
    secretSealed: box.seal(clientSecret),
    redirectUris: [...new Set(input.redirectUris)],
    createdAt: now.toISOString(),
  }
  await store.oidcClients.insert(client)
  return { clientId: client.id, clientSecret, client }
}

export function listOidcClients(store: Store): Promise<OidcClientRecord[]> {
  return store.oidcClients.list()
}

export async function deleteOidcClient(store: Store, id: string): Promise<void> {
  if (!(await store.oidcClients.delete(id))) {
    throw AppError.notFound(`No OIDC client with id "${id}".`)
  }
}

/** The client as oidc-provider reads it (OpenID Connect Dynamic Client Registration §2 names). */
export function clientMetadataOf(
  client: OidcClientRecord,
  box: SecretBox,
): Record<string, unknown> {
  return {
    client_id: client.id,
    client_secret: box.open(client.secretSealed),
    client_name: client.name,
    redirect_uris: [...client.redirectUris],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
    subject_type: 'pairwise',
  }
}

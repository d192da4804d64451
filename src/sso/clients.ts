// The relying party's view of each login connection (SPEC §4): the OpenID Provider metadata from
// discovery (OpenID Connect Discovery 1.0 §4), cached per connection and instance, and the code
// exchange with ID-token validation, which openid-client v6 performs (signature, iss, aud, exp,
// nonce, PKCE). Only provider metadata is cached here; flow state lives in the database. Every
// request to a provider (discovery, jwks_uri, token endpoint) goes through the address policy of
// issuer-address.ts (SSRF).
import { AsyncLocalStorage } from 'node:async_hooks'
import * as oidc from 'openid-client'
import type { SecretBox } from '../credentials/secret-box.ts'
import type { LoginConnectionRecord } from '../store/store.ts'
import {
  checkTarget,
  guardedFetch,
  IssuerAddressRefused,
  systemLookup,
  type AddressLookup,
  type AddressPolicy,
} from './issuer-address.ts'

export interface OidcClientOptions {
  /**
   * SSO_ALLOW_PRIVATE_ISSUERS: providers on private, loopback or link-local addresses, and
   * http:// to loopback ones. Off, every address a provider's host resolves to must be public,
   * and only https:// is spoken.
   */
  readonly allowPrivateIssuers?: boolean
  /**
   * A fetch to use for every request to the provider (tests tamper with responses here). Each
   * target is checked against the policy first; without it, connections are checked as made.
   */
  readonly fetch?: oidc.CustomFetch
  /** Resolves host names for the policy (tests answer for made-up names); node:dns otherwise. */
  readonly lookup?: AddressLookup
  /** The server log: why a provider's address was refused (never shown to the tenant). */
  readonly log?: { warn(details: Record<string, unknown>, message: string): void }
}

interface Cached {
  /** issuer, client id and secret version: an edit of any of them makes a new configuration. */
  readonly fingerprint: string
  readonly config: Promise<oidc.Configuration>
}

/** What the code exchange gives back: the validated ID-token claims. */
export interface ExchangeResult {
  readonly claims: Readonly<Record<string, unknown>>
}

export interface ExchangeChecks {
  readonly expectedState: string
  readonly expectedNonce: string
  readonly pkceCodeVerifier: string
}

const KEY_SELECTION_FAILED = 'OAUTH_KEY_SELECTION_FAILED'

interface ExchangeContext {
  /** The token endpoint response of this exchange, kept for a retry after a key refresh. */
  captured?: Response
  /** On that retry: the response to give instead of calling the token endpoint again. */
  replay?: Response
}

const exchangeContext = new AsyncLocalStorage<ExchangeContext>()

export class OidcClients {
  private readonly cache = new Map<string, Cached>()
  private readonly baseFetch: oidc.CustomFetch

  constructor(
    private readonly box: SecretBox,
    private readonly options: OidcClientOptions = {},
  ) {
    const policy: AddressPolicy = {
      allowPrivate: options.allowPrivateIssuers === true,
      lookup: options.lookup ?? systemLookup,
    }
    const given = options.fetch
    this.baseFetch = given
      ? async (url, init) => {
          await checkTarget(url, policy)
          return given(url, init)
        }
      : guardedFetch(policy)
  }

  /** The discovered configuration of the connection; discovery runs once per instance and edit. */
  configFor(connection: LoginConnectionRecord): Promise<oidc.Configuration> {
    const fingerprint = `${connection.issuer}|${connection.clientId}|${connection.clientSecretEncrypted}`
    const cached = this.cache.get(connection.id)
    if (cached && cached.fingerprint === fingerprint) return cached.config
    const config = this.discover(connection)
    this.cache.set(connection.id, { fingerprint, config })
    // A failed discovery is not remembered: the next attempt (after the admin fixed the issuer,
    // or the provider came back) runs it again.
    config.catch(() => {
      if (this.cache.get(connection.id)?.config === config) this.cache.delete(connection.id)
    })
    return config
  }

  /** Forgets the connection's configuration (deleted, or its keys rotated). */
  forget(connectionId: string): void {
    this.cache.delete(connectionId)
  }

  private async discover(connection: LoginConnectionRecord): Promise<oidc.Configuration> {
    const secret = this.box.open(connection.clientSecretEncrypted)
    // openid-client's own https:// check; the policy then allows http:// to loopback hosts only.
    const insecure = this.options.allowPrivateIssuers === true
    const baseFetch = this.baseFetch
    const log = this.options.log
    // Assigned once discovery answers; the fetcher below reads it for every later request.
    // eslint-disable-next-line prefer-const
    let tokenEndpoint: string | undefined
    // Every request to the provider goes through here. Inside exchange() the token response is
    // kept (or, on the retry after a key refresh, replayed) through the per-call context.
    const fetcher: oidc.CustomFetch = async (url, init) => {
      const context = exchangeContext.getStore()
      const isToken = tokenEndpoint !== undefined && url === tokenEndpoint
      if (context?.replay && isToken) return context.replay.clone()
      let response: Response
      try {
        response = await baseFetch(url, init)
      } catch (error) {
        if (error instanceof IssuerAddressRefused) {
          log?.warn(
            {
              tenantId: connection.tenantId,
              connectionId: connection.id,
              target: error.url,
              reason: error.detail,
            },
            'refused to connect to the identity provider (set SSO_ALLOW_PRIVATE_ISSUERS=true to allow private addresses)',
          )
        }
        throw error
      }
      if (context && isToken) context.captured = response.clone()
      return response
    }
    const config = await oidc.discovery(
      new URL(connection.issuer),
      connection.clientId,
      undefined,
      oidc.ClientSecretBasic(secret),
      {
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
        [oidc.customFetch]: fetcher,
      },
    )
    config[oidc.customFetch] = fetcher
    // openid-client v6 trusts the TLS channel of the token response by default (OpenID Connect
    // Core §3.1.3.7 allows it); verifying the ID token's signature against the provider's keys as
    // well costs one cached jwks_uri fetch and holds even when TLS is intercepted.
    oidc.enableNonRepudiationChecks(config)
    tokenEndpoint = config.serverMetadata().token_endpoint
    return config
  }

  /**
   * Exchanges the authorization code of `currentUrl` (the callback URL as the browser requested
   * it) and validates the ID token. When the ID token is signed with a key id the cached key set
   * does not have (the provider rotated its keys), discovery and the key set are fetched again
   * once and the same token response is validated against them: the code, being single use, is
   * not sent twice.
   */
  async exchange(
    connection: LoginConnectionRecord,
    currentUrl: URL,
    checks: ExchangeChecks,
  ): Promise<ExchangeResult> {
    const grantChecks = {
      expectedState: checks.expectedState,
      expectedNonce: checks.expectedNonce,
      pkceCodeVerifier: checks.pkceCodeVerifier,
      idTokenExpected: true,
    }
    const context: ExchangeContext = {}
    try {
      const config = await this.configFor(connection)
      const tokens = await exchangeContext.run(context, () =>
        oidc.authorizationCodeGrant(config, currentUrl, grantChecks),
      )
      return { claims: { ...(tokens.claims() ?? {}) } }
    } catch (error) {
      const unknownKey = error instanceof oidc.ClientError && error.code === KEY_SELECTION_FAILED
      if (!unknownKey || !context.captured) throw error
      this.forget(connection.id)
      const refreshed = await this.configFor(connection)
      const retry: ExchangeContext = { replay: context.captured }
      const tokens = await exchangeContext.run(retry, () =>
        oidc.authorizationCodeGrant(refreshed, currentUrl, grantChecks),
      )
      return { claims: { ...(tokens.claims() ?? {}) } }
    }
  }
}

// The part of oidc-provider (panva/node-oidc-provider, no bundled types) that the test OP uses.
declare module 'oidc-provider' {
  import type { IncomingMessage as Req, ServerResponse as Res } from 'node:http'

  interface Interaction {
    readonly uid: string
    readonly prompt: { readonly name: string; readonly details: Record<string, unknown> }
    readonly params: Record<string, unknown>
    readonly session?: { readonly accountId?: string }
    readonly grantId?: string
  }

  interface Grant {
    addOIDCScope(scope: string): void
    addOIDCClaims(claims: string[]): void
    save(): Promise<string>
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>)
    callback(): (req: Req, res: Res) => void
    interactionDetails(req: Req, res: Res): Promise<Interaction>
    interactionFinished(
      req: Req,
      res: Res,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>
    Grant: {
      new (init: { accountId: string; clientId: string }): Grant
      find(id: string): Promise<Grant | undefined>
    }
    on(event: string, listener: (...args: unknown[]) => void): void
  }
}

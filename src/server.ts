// The only entry that listens: configuration, store, app, graceful shutdown on SIGINT/SIGTERM.
import type { Server } from 'node:http'
import { ConfigError, loadConfig } from './config.ts'
import { buildApp } from './http/app.ts'
import { providerPages } from './http/routes/oidc/pages.ts'
import { IdentityProvider } from './identity-provider/provider.ts'
import { ProvisioningLogWriter } from './provisioning/log-writer.ts'
import { openRuntime, recordPublicUrl } from './runtime.ts'
import { WebhookWorker } from './webhooks/worker.ts'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(2)
    }
    throw error
  }
  const notices: string[] = []
  const runtime = await openRuntime(config, (message) => notices.push(message))
  const log = new ProvisioningLogWriter(runtime.store, {
    retentionDays: config.provisioningLog.retentionDays,
    maxRowsPerTenant: config.provisioningLog.maxRowsPerTenant,
    eventRetentionDays: config.events.retentionDays,
    onError: (error) => app.log.error({ err: error }, 'provisioning log write failed'),
  })
  // The OpenID Provider's first signing key is made at start, by whichever instance is first.
  const identityProvider = new IdentityProvider({
    store: runtime.store,
    secretBox: runtime.secretBox,
    publicUrl: config.publicUrl,
    onError: (error) => app.log.error({ err: error }, 'OpenID Provider error'),
    pages: providerPages,
  })
  await identityProvider.start()
  const app = await buildApp(config, {
    store: runtime.store,
    signingKey: runtime.signingKey,
    secretBox: runtime.secretBox,
    log,
    identityProvider,
  })
  for (const message of notices) app.log.warn(message)
  const webhooks = new WebhookWorker(runtime.store, runtime.secretBox, {
    ...config.webhooks,
    onError: (error) => app.log.error({ err: error }, 'webhook delivery failed'),
  })

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down: finishing in-flight requests')
    const timer = setTimeout(() => {
      app.log.error('shutdown timed out; exiting')
      process.exit(1)
    }, config.shutdownTimeoutSeconds * 1000)
    timer.unref()
    // Keep-alive connections that were busy when closing began become idle later; close them as
    // they do, so that close() does not wait for clients to hang up.
    const idleCloser = setInterval(() => app.server.closeIdleConnections(), 50)
    await app.close()
    clearInterval(idleCloser)
    app.log.info('HTTP server closed; stopping webhook deliveries, flushing the provisioning log')
    await webhooks.close()
    await log.close()
    await runtime.store.close()
    app.log.info('store closed; bye')
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))

  await app.listen({ port: config.port, host: config.host })
  webhooks.start()
  // The CLI prints Base URLs and links from this record, not from its own environment.
  const recordedUrl = recordablePublicUrl(config.publicUrl, app.server.address())
  await recordPublicUrl(runtime.store, recordedUrl).catch((error: unknown) =>
    app.log.warn({ err: error }, 'could not record the public URL for the CLI'),
  )
  app.log.info(
    { publicUrl: config.publicUrl, store: runtime.store.dialect },
    `Rollcall is serving SCIM at ${config.publicUrl}/scim/v2/<tenant>`,
  )
}

/** PORT=0 without PUBLIC_URL: the port the OS chose is the one clients reach. */
function recordablePublicUrl(publicUrl: string, address: ReturnType<Server['address']>): string {
  const url = new URL(publicUrl)
  if (url.port !== '0' || address === null || typeof address === 'string') return publicUrl
  url.port = String(address.port)
  return url.href.replace(/\/+$/, '')
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})

// The admin console (SPEC §5) at /: the static files Vite built from src/console into
// dist/console, and index.html for every other page path, so that a reload or a link to
// /connections/… opens the same single-page app. /api, /scim, /sso and /login keep their own 404s;
// a missing build is a log line and a page that says how to build it, not a crash.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ScimError } from '../../../scim/errors.ts'
import { html, sendPage } from '../../pages.ts'
import { sendScimError } from '../../plugins/scim-errors.ts'

export interface ConsoleRouteDeps {
  /** The folder of the built console (index.html, assets/). */
  readonly dir: string
}

/** Paths that are not the console's, even when nothing answers them. */
const RESERVED = ['/api', '/scim', '/sso', '/login', '/healthz', '/readyz']

/**
 * The console's document may load its own script, styles and images, and call this site's API;
 * nothing inline, nothing from elsewhere. The server-rendered pages keep app.ts's stricter one.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ')

function isReserved(path: string): boolean {
  return RESERVED.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))
}

/** A page path of the single-page app: GET or HEAD, not reserved, no file extension. */
function isPagePath(request: FastifyRequest, path: string): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false
  if (isReserved(path)) return false
  const last = path.slice(path.lastIndexOf('/') + 1)
  return !last.includes('.')
}

function notFound(request: FastifyRequest, reply: FastifyReply, path: string): FastifyReply {
  // Outside a tenant's base URL SCIM clients still get a SCIM error body (RFC 7644 §3.12).
  if (path === '/scim' || path.startsWith('/scim/')) {
    return sendScimError(
      reply,
      new ScimError(404, `No SCIM endpoint at ${request.method} ${path}.`),
    )
  }
  return sendPage(
    reply,
    404,
    'Not found',
    html`<p>There is no page here. <a href="/">Open the console</a>.</p>`,
  )
}

export async function consoleRoutes(app: FastifyInstance, deps: ConsoleRouteDeps): Promise<void> {
  const index = join(deps.dir, 'index.html')
  const isBuilt = existsSync(index)
  if (!isBuilt) {
    app.log.warn(
      { consoleDir: deps.dir },
      'The console is not built (index.html is missing): / shows how to build it. ' +
        'Run `npm run build:console` (npm install runs it).',
    )
  } else {
    await app.register(fastifyStatic, {
      root: deps.dir,
      prefix: '/',
      // One route per built file: a catch-all route would answer unknown /api/… paths too.
      wildcard: false,
      cacheControl: false,
      setHeaders(reply, path) {
        if (path.endsWith('.html')) {
          reply.header('content-security-policy', CONSOLE_CSP)
          reply.header('cache-control', 'no-cache')
        } else if (path.includes('/assets/')) {
          // Vite puts a content hash in every asset name.
          reply.header('cache-control', 'public, max-age=31536000, immutable')
        }
      },
    })
  }

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/'
    if (!isPagePath(request, path)) return notFound(request, reply, path)
    if (!isBuilt) {
      return sendPage(
        reply,
        503,
        'The console is not built',
        html`<p class="error">
            This server has no console to show: its files (<code>dist/console</code>) are missing.
          </p>
          <p>
            Build them with <code>npm run build:console</code> (<code>npm install</code> does it),
            then reload. The admin API, SCIM and sign-in work without them.
          </p>`,
      )
    }
    return reply.code(200).sendFile('index.html')
  })
}

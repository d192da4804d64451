// A real Rollcall for the browser tests: `src/server.ts` as its own process on a throwaway SQLite
// DATA_DIR and a free port (PUBLIC_URL must name it: state-changing requests must come from its
// origin), the test OpenID Provider on loopback, a loopback DNS server for domain verification,
// and the operator's CLI on the same database.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDnsServer, type TestDnsServer } from '../../support/dns-server.ts'
import { startTestOp, type TestOp } from '../../support/oidc-provider.ts'
import { runCli, startServer, type ServerProcess } from '../../support/processes.ts'

export interface Rollcall {
  /** PUBLIC_URL, e.g. http://127.0.0.1:41234 */
  readonly url: string
  readonly op: TestOp
  readonly dns: TestDnsServer
  readonly server: ServerProcess
  /** `npx rollcall …` on the server's database; answers stdout. */
  cli(...args: string[]): Promise<string>
  stop(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

export async function startRollcall(): Promise<Rollcall> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-e2e-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const op = await startTestOp(`${url}/sso/callback`)
  const dns = await startDnsServer()
  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    PUBLIC_URL: url,
    // The test OP is http:// on loopback, as a lab's IdP may be.
    SSO_ALLOW_PRIVATE_ISSUERS: 'true',
    DOMAIN_VERIFICATION_DNS_SERVERS: dns.address,
    DOMAIN_VERIFICATION_TIMEOUT_SECONDS: '2',
  }
  const server = await startServer({ ...env, PORT: String(port) })
  return {
    url,
    op,
    dns,
    server,
    cli: (...args) => runCli(env, ...args),
    async stop() {
      await server.stop()
      await op.close()
      await dns.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

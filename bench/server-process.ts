// The child processes of `npm run bench` (Rollcall, the echo server, the CLI): start them on
// 127.0.0.1, wait until they answer, and make sure none outlives the benchmark (SIGTERM on a
// normal stop, SIGKILL after a grace period and from the process 'exit' handler).
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url))
export const LOOPBACK = '127.0.0.1'

const HEALTH_TIMEOUT_MS = 60_000
const CLI_TIMEOUT_MS = 60_000
const STOP_GRACE_MS = 12_000
const LOG_TAIL_LINES = 200

const running = new Set<ChildProcess>()

// `--pin`: servers started from now on run on this CPU only (taskset), so the server gets a core
// of its own and the load generator the other, as in issue #11's setup.
let serverCpu: number | undefined

export function pinServersTo(cpu: number | undefined): void {
  serverCpu = cpu
}

// Last resort: whatever way this process ends, no child is left behind.
process.on('exit', killAllChildrenNow)

/** Sends SIGKILL to every child still running; synchronous, for exit paths. */
export function killAllChildrenNow(): void {
  for (const child of running) child.kill('SIGKILL')
}

function track(child: ChildProcess): void {
  running.add(child)
  child.once('exit', () => running.delete(child))
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null
}

/** The environment for a child: ours minus any Rollcall setting, plus `extra`. */
function childEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const rollcallKeys =
    /^(PORT|HOST|PUBLIC_URL|DATA_DIR|DATABASE_URL|DATABASE_POOL_SIZE|ROLLCALL_SECRET|LOG_LEVEL)$/
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    const isRollcall =
      rollcallKeys.test(key) ||
      key.startsWith('SCIM_') ||
      key.startsWith('PROVISIONING_LOG_') ||
      key === 'SHUTDOWN_TIMEOUT_SECONDS'
    if (!isRollcall) env[key] = value
  }
  return { ...env, ...extra }
}

/** A free TCP port on 127.0.0.1: listen on port 0, read the port, close. */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, LOOPBACK)
  await once(server, 'listening')
  const address = server.address()
  server.close()
  await once(server, 'close')
  if (address === null || typeof address === 'string') throw new Error('no TCP port assigned')
  return address.port
}

/** Runs `node bin/rollcall.js …args` in the project; rejects with its stderr on failure. */
export async function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['bin/rollcall.js', ...args],
      { cwd: PROJECT_ROOT, env: childEnv(env), timeout: CLI_TIMEOUT_MS, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (error) {
          const output = `${stderr}${stdout}`.trim()
          reject(
            new Error(`rollcall ${args.slice(0, 2).join(' ')} failed: ${output || error.message}`),
          )
        } else {
          resolve(stdout)
        }
      },
    )
    track(child)
  })
}

export interface ChildServer {
  readonly name: string
  readonly pid: number
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  /** The last lines the child wrote (stdout and stderr), for error reports. */
  logTail(): string
  stop(): Promise<void>
}

/**
 * Starts `node --import tsx <script>` from the project root with HOST/PORT set, and resolves once
 * `GET <healthPath>` answers 200. Rejects (after stopping the child) if it exits or times out.
 */
export async function startChildServer(
  name: string,
  script: string,
  port: number,
  env: Readonly<Record<string, string>>,
  healthPath = '/healthz',
): Promise<ChildServer> {
  const command = [process.execPath, '--import', 'tsx', script]
  // taskset execs the command: the child's pid stays the server's (the CPU probe reads it).
  const pinned =
    serverCpu === undefined ? command : ['taskset', '-c', String(serverCpu), ...command]
  const child = spawn(pinned[0] ?? process.execPath, pinned.slice(1), {
    cwd: PROJECT_ROOT,
    env: childEnv({ ...env, HOST: LOOPBACK, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  track(child)
  const lines: string[] = []
  const collect = (data: Buffer) => {
    for (const line of data.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(line)
    if (lines.length > LOG_TAIL_LINES) lines.splice(0, lines.length - LOG_TAIL_LINES)
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const origin = `http://${LOOPBACK}:${port}`
  const server: ChildServer = {
    name,
    pid: child.pid ?? -1,
    origin,
    logTail: () => lines.join('\n'),
    stop: () => stopChild(child),
  }
  const deadline = performance.now() + HEALTH_TIMEOUT_MS
  while (performance.now() < deadline) {
    if (hasExited(child)) {
      throw new Error(
        `${name} exited (code ${child.exitCode}, signal ${child.signalCode}) before answering ` +
          `${healthPath}:\n${server.logTail()}`,
      )
    }
    try {
      const response = await fetch(`${origin}${healthPath}`, { signal: AbortSignal.timeout(1000) })
      await response.arrayBuffer()
      if (response.status === 200) return server
    } catch {
      // Not listening yet.
    }
    await sleep(100)
  }
  await server.stop()
  throw new Error(`${name} did not answer ${healthPath} within ${HEALTH_TIMEOUT_MS / 1000} s`)
}

/** SIGTERM, then SIGKILL if the child has not exited after the grace period. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return
  const exited = once(child, 'exit').catch(() => undefined)
  child.kill('SIGTERM')
  const graceful = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS, false)])
  if (!graceful && !hasExited(child)) {
    child.kill('SIGKILL')
    await Promise.race([exited, sleep(2000)])
  }
}

/** Stops every running child (used on SIGINT/SIGTERM and errors). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child)))
}

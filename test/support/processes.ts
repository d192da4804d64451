// Real Rollcall processes for tests: the CLI and servers started as `node --import tsx`, on ports
// chosen by the OS, stopped (SIGTERM, then SIGKILL) when the test ends.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'

const ROOT = join(import.meta.dirname, '..', '..')
const run = promisify(execFile)

export async function runCli(env: Record<string, string>, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [join(ROOT, 'bin', 'rollcall.js'), ...args], {
    env: { ...process.env, ...env },
  })
  return stdout
}

export interface ServerProcess {
  readonly url: string
  readonly child: ChildProcess
  /** Everything the process wrote, for failure messages. */
  output(): string
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'server.ts')], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.length > 200_000) output = output.slice(-100_000)
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      // Started means ready for its clients, the CLI included: the server logs this line once it
      // has recorded its public URL, which it does after listening.
      if (match?.[1] && output.includes('Rollcall is serving SCIM')) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${output}`))
    })
  })
  return {
    url,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode
      child.kill(signal)
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}

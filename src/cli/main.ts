// The operator CLI (`npx rollcall …`): binds run.ts to this process's arguments, environment and
// standard streams. Works on the same DATA_DIR / DATABASE_URL as the server, whether or not the
// server is running.
import type { CommandIo } from './command.ts'
import { runCli } from './run.ts'

const io: CommandIo = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  async readStdin() {
    if (process.stdin.isTTY) process.stderr.write('Reading standard input; end with Ctrl-D.\n')
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  },
}

// A reader that goes away early (`… | head`) is not an error of the command.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
})

// No process.exit: it would cut output still queued for a pipe (stdout to a pipe is
// asynchronous); with exitCode the process ends once everything is written.
runCli(process.argv.slice(2), io, process.env)
  .then((code) => {
    process.exitCode = code
  })
  .catch((error: unknown) => {
    io.err(error instanceof Error ? error.message : String(error))
    process.exitCode = 1
  })

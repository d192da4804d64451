// The secrets a command takes (a client secret): given inline, from a file or on standard input,
// exactly one of the three, read in the command's check so a bad one is a usage error (exit 2).
import { readFile } from 'node:fs/promises'
import { UsageError, type CommandIo, type Options, type OptionSpec } from './command.ts'

/**
 * The three ways to give a secret: on the command line (which `ps` and the shell history see),
 * from a file, or on standard input. Spread into a command's options; read with readSecret.
 */
export function secretOptions(name: string, what: string): Record<string, OptionSpec> {
  return {
    [name]: {
      type: 'string',
      value: 'SECRET',
      help: `${what} (visible to \`ps\` and the shell history; prefer the next two)`,
    },
    [`${name}-file`]: {
      type: 'string',
      value: 'PATH',
      help: `read ${what} from this file (a trailing newline is ignored)`,
    },
    [`${name}-stdin`]: {
      type: 'boolean',
      help: `read ${what} from standard input (a trailing newline is ignored)`,
    },
  }
}

/** The synopsis of secretOptions: exactly one of the three. */
export function secretSynopsis(name: string): string {
  return `(--${name} SECRET | --${name}-file PATH | --${name}-stdin)`
}

/** Reads the secret given in one of the ways of secretOptions; throws UsageError. */
export async function readSecret(options: Options, name: string, io: CommandIo): Promise<string> {
  const inline = options.string(name)
  const file = options.string(`${name}-file`)
  const stdin = options.flag(`${name}-stdin`)
  const given = [inline !== undefined, file !== undefined, stdin].filter(Boolean).length
  if (given === 0) throw new UsageError(`${secretSynopsis(name)} is required.`)
  if (given > 1) throw new UsageError(`Give only one of ${secretSynopsis(name)}.`)
  let secret: string
  if (inline !== undefined) {
    secret = inline
  } else if (file !== undefined) {
    try {
      secret = await readFile(file, 'utf8')
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).message
      throw new UsageError(`--${name}-file: cannot read ${file} (${code}).`)
    }
  } else {
    secret = await io.readStdin()
  }
  // `echo secret > file` and `echo secret | …` add a newline that is not part of the secret.
  secret = secret.replace(/\r?\n$/, '')
  if (secret === '') throw new UsageError(`The ${name.replaceAll('-', ' ')} is empty.`)
  return secret
}

// What one command line does, from the words to the exit status: 0 done, 1 the command failed,
// 2 wrong usage or configuration. Help and usage errors are answered before anything opens the
// database. main.ts binds it to the process; tests call it in-process.
import { readFileSync } from 'node:fs'
import { ConfigError, loadConfig, type Config } from '../config.ts'
import { AppError } from '../errors.ts'
import { openRuntime, PUBLIC_URL_SETTING, type Runtime } from '../runtime.ts'
import {
  asksForHelp,
  groupOverviewOf,
  helpOf,
  overviewOf,
  parseCommand,
  UsageError,
  type Command,
  type CommandIo,
} from './command.ts'
import { COMMANDS } from './commands/index.ts'
import { runWithEventContext } from '../events/context.ts'

function version(): string {
  const manifest = readFileSync(new URL('../../package.json', import.meta.url), 'utf8')
  return (JSON.parse(manifest) as { version: string }).version
}

/** The command named by the first one or two words, and the arguments after them. */
function resolve(
  argv: readonly string[],
): { command: Command; args: readonly string[] } | undefined {
  const [first, second] = argv
  const byName = (name: string) => COMMANDS.find((c) => c.name === name)
  const twoWords = second === undefined ? undefined : byName(`${first} ${second}`)
  if (twoWords) return { command: twoWords, args: argv.slice(2) }
  const oneWord = first === undefined ? undefined : byName(first)
  return oneWord && { command: oneWord, args: argv.slice(1) }
}

function groupOf(word: string | undefined): Command[] {
  return word === undefined ? [] : COMMANDS.filter((c) => c.name.startsWith(`${word} `))
}

/**
 * Runs one command line; resolves to the exit status. `env` is the process environment (only the
 * entry points read it): configuration, and whether PUBLIC_URL was set here at all.
 */
export async function runCli(
  argv: readonly string[],
  io: CommandIo,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const [first] = argv
  if (first === undefined) {
    io.err(overviewOf(COMMANDS))
    return 2
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = argv.slice(1)
    const named = resolve(topic)
    const group = groupOf(topic[0])
    if (topic.length === 0) io.out(overviewOf(COMMANDS))
    else if (named) io.out(helpOf(named.command))
    else if (group.length > 0) io.out(groupOverviewOf(topic[0] ?? '', group))
    else return unknownCommand(topic, io)
    return 0
  }
  if (first === '--version' || first === '-V') {
    io.out(version())
    return 0
  }
  const resolved = resolve(argv)
  if (!resolved) {
    const group = groupOf(first)
    if (group.length === 0) return unknownCommand(argv, io)
    if (asksForHelp(argv.slice(1))) {
      io.out(groupOverviewOf(first, group))
      return 0
    }
    const given = argv[1]
    io.err(
      `${given === undefined || given.startsWith('-') ? `"${first}" needs a subcommand.` : `Unknown command "${first} ${given}".`}\n\n` +
        groupOverviewOf(first, group),
    )
    return 2
  }
  const { command, args } = resolved
  // Before anything else: help must not create a database or a secret.
  if (asksForHelp(args)) {
    io.out(helpOf(command))
    return 0
  }
  let parsed
  try {
    parsed = await parseCommand(command, args, io)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.err(`npx rollcall ${command.name}: ${error.message}\n\n${helpOf(command)}`)
    return 2
  }
  let config: Config
  try {
    config = loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message)
      return 2
    }
    throw error
  }
  const runtime = await openRuntime(config, (message) => io.err(message), { shortLived: true })
  try {
    const publicUrl = await publicUrlFor(runtime, command, io, (env.PUBLIC_URL ?? '') !== '')
    // The operator at the console: the actor of every event the command records.
    await runWithEventContext({ actor: { type: 'operator' }, requestId: null }, () =>
      command.run({ runtime, publicUrl, io, json: parsed.json }, parsed.input),
    )
    return 0
  } catch (error) {
    if (error instanceof AppError) {
      io.err(error.message)
      return 1
    }
    throw error
  } finally {
    await runtime.store.close()
  }
}

function unknownCommand(words: readonly string[], io: CommandIo): number {
  io.err(`Unknown command "${words.slice(0, 2).join(' ')}".\n\n${overviewOf(COMMANDS)}`)
  return 2
}

/**
 * The origin for the URLs a command prints. The server records the one it runs with at start;
 * this process's environment may differ (another PORT, PUBLIC_URL unset), and an admin pasting a
 * Base URL into the IdP needs the server's. PUBLIC_URL set here and different gets a warning.
 */
async function publicUrlFor(
  runtime: Runtime,
  command: Command,
  io: CommandIo,
  isOwnExplicit: boolean,
): Promise<string> {
  const recorded = await runtime.store.settings.get(PUBLIC_URL_SETTING)
  const own = runtime.config.publicUrl
  if (recorded !== undefined) {
    if (isOwnExplicit && recorded.value !== own) {
      io.err(
        `Warning: PUBLIC_URL here is ${own}, but the server runs with ${recorded.value} ` +
          `(recorded when it started, ${recorded.updatedAt}). Using ${recorded.value}; if that ` +
          'is wrong, fix PUBLIC_URL where the server runs and restart it.',
      )
    }
    return recorded.value
  }
  if (command.printsUrls === true && !isOwnExplicit) {
    io.err(
      `Note: the server has not recorded its public URL yet (it does when it starts), and ` +
        `PUBLIC_URL is not set here: the URLs below use ${own}. Start the server once, or set ` +
        'PUBLIC_URL, if that is not the address clients reach.',
    )
  }
  return own
}

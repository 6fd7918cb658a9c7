import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { isUserError } from '../errors.js';
import { formatUserError } from './errors.js';
import { processIo, type Io } from './io.js';
import { generateCommand, type GenerateFlags } from './commands/generate.js';
import { listCommand, validateCommand, type InspectFlags } from './commands/inspect.js';
import { allowRefRootOption, allowRemoteRefsOption } from './spec-read-flags.js';
import { replayCommand, sendCommand, type DeliverFlags } from './commands/deliver.js';
import {
  inboxListCommand,
  inboxPurgeCommand,
  inboxRetryCommand,
  inboxStatusCommand,
  type InboxFlags,
} from './commands/inbox.js';
import { EXIT_BUG, EXIT_USER_ERROR } from './exit-codes.js';

const GENERATE_EXAMPLES = `
Examples:
  $ npx aircall-gen                          generate ./generated from the bundled Aircall spec
  $ npx aircall-gen --spec my.yaml --out src/aircall
  $ npx aircall-gen --dry-run                show what would change, write nothing
  $ npx aircall-gen --check                  in CI: exit 1 if ./generated is stale
  $ npx aircall-gen --watch                  regenerate whenever the spec changes

Exit codes: 0 ok, 1 --check found stale files, 2 user error (bad spec, flag or folder), 70 bug.`;

/** Shown under the top-level help: the default command's options are what most runs use. */
const TOP_LEVEL_HELP = `
Without a command, aircall-gen runs \`generate\`:
  --spec <path>   AsyncAPI document (default: the bundled Aircall spec)
  --out <dir>     output folder (default: ./generated)
  --check, --dry-run, --force, --watch, --json, --config: see \`aircall-gen generate --help\``;

function packageVersion(): string {
  const file = fileURLToPath(new URL('../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('aircall-gen')
    .description('Generate a typed, validated TypeScript receiver for Aircall webhooks from an AsyncAPI document.')
    .version(packageVersion(), '-V, --version', 'print the version of aircall-gen')
    .addHelpText('after', TOP_LEVEL_HELP)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();

  const specOption = () => new Option('--spec <path>', 'AsyncAPI document (default: the bundled Aircall spec)');
  const configOption = () =>
    new Option('--config <path>', 'config file (default: aircall-gen.config.{json,ts,mjs,js} if present)');
  const outOption = () => new Option('--out <dir>', 'output folder (default: ./generated)');

  program
    .command('generate', { isDefault: true })
    .description('generate (or regenerate) the receiver project')
    .addOption(specOption())
    .addOption(outOption())
    .addOption(configOption())
    .addOption(allowRefRootOption())
    .addOption(allowRemoteRefsOption())
    .option('--dry-run', 'print the plan (create, update, unchanged, kept, orphaned) and write nothing')
    .option('--check', 'write nothing; exit 1 if anything the generator owns is missing or stale')
    .option('--force', 'overwrite generated files edited by hand (your handler files are never overwritten)')
    .option('--watch', 'regenerate when the spec changes')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', GENERATE_EXAMPLES)
    .action(async (flags: GenerateFlags) => setExit(await generateCommand(flags, io)));

  program
    .command('validate')
    .description('check the spec; print diagnostics as file:line:col severity code message')
    .addOption(specOption())
    .addOption(configOption())
    .addOption(allowRefRootOption())
    .addOption(allowRemoteRefsOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ npx aircall-gen validate\n  $ npx aircall-gen validate --spec my.asyncapi.yaml\n\nExit codes: 0 valid, 2 errors.',
    )
    .action(async (flags: InspectFlags) => setExit(await validateCommand(flags, io)));

  program
    .command('list')
    .description('list the events in the spec with their summaries')
    .addOption(specOption())
    .addOption(configOption())
    .addOption(allowRefRootOption())
    .addOption(allowRemoteRefsOption())
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExamples:\n  $ npx aircall-gen list\n  $ npx aircall-gen list --json')
    .action(async (flags: InspectFlags) => setExit(await listCommand(flags, io)));

  program
    .command('send')
    .argument('[event-or-file]', 'an event name (posts its fixture) or a JSON file')
    .description('post a fixture or file to a running receiver, like `stripe trigger`')
    .option('--url <url>', 'receiver URL', 'http://localhost:3000/aircall/webhook')
    .option('--token <token>', 'token to put in the body (default: first of AIRCALL_WEBHOOK_TOKEN)')
    .option('--all', 'post every fixture and print each response')
    .addOption(outOption())
    .addOption(configOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ npx aircall-gen send call.created --token $AIRCALL_WEBHOOK_TOKEN\n  $ npx aircall-gen send ./body.json --url http://localhost:8080/aircall/webhook\n  $ npx aircall-gen send --all\n\nExit codes: 0 every delivery handled, 1 some were quarantined, unknown or rejected, 2 user error.',
    )
    .action(async (target: string | undefined, flags: DeliverFlags) => setExit(await sendCommand(target, flags, io)));

  program
    .command('replay')
    .argument('<file>', 'quarantine file (JSON lines) written by the receiver')
    .description('re-deliver quarantined events to a receiver after the spec or handlers are fixed')
    .option('--url <url>', 'receiver URL', 'http://localhost:3000/aircall/webhook')
    .option('--token <token>', 'token to put in each body (default: first of AIRCALL_WEBHOOK_TOKEN)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ npx aircall-gen replay quarantine.jsonl --token $AIRCALL_WEBHOOK_TOKEN\n\nExit codes: 0 every delivery handled, 1 some were quarantined, unknown or rejected, or a line was skipped (reported; the rest are still sent), 2 user error.',
    )
    .action(async (file: string, flags: DeliverFlags) => setExit(await replayCommand(file, flags, io)));

  addInboxCommands(program, io, setExit);
  return program;
}

const INBOX_EXAMPLES = `
Examples:
  $ npx aircall-gen inbox status
  $ npx aircall-gen inbox list --state dead
  $ npx aircall-gen inbox retry 3f2a9c0d1e4b5a6c
  $ npx aircall-gen inbox retry --dead
  $ npx aircall-gen inbox purge --done --older-than 7d
  $ npx aircall-gen inbox status --redis redis://127.0.0.1:6379 --prefix aircall

Exit codes: 0 ok, 1 retry found no such delivery, 2 user error (no queue file, Redis unreachable, bad flag).`;

/** `inbox status|list|retry|purge`: the durable queue of a receiver in sqlite or redis mode. */
function addInboxCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  const inbox = program
    .command('inbox')
    .description('inspect and repair the durable queue of a receiver (sqlite mode: --db; redis mode: --redis)')
    .addHelpText('after', INBOX_EXAMPLES);
  const dbOption = () => new Option('--db <file>', 'queue file (default: $AIRCALL_QUEUE_FILE, else aircall-queue.db)');
  const redisOption = () =>
    new Option('--redis <url>', 'the Redis of a receiver in redis mode (its AIRCALL_REDIS_URL)');
  const prefixOption = () =>
    new Option('--prefix <prefix>', 'with --redis: key prefix (default: $AIRCALL_REDIS_PREFIX, else aircall)');
  inbox
    .command('status')
    .description('count deliveries per state (pending, running, done, dead) and the oldest pending age')
    .addOption(dbOption())
    .addOption(redisOption())
    .addOption(prefixOption())
    .option('--json', 'print as JSON')
    .action(async (flags: InboxFlags) => setExit(await inboxStatusCommand(flags, io)));
  inbox
    .command('list')
    .description('list deliveries in one state, oldest first, with their last error')
    .addOption(dbOption())
    .addOption(redisOption())
    .addOption(prefixOption())
    .option('--state <state>', 'pending, running, done or dead', 'dead')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print one JSON object per line')
    .action(async (flags: InboxFlags) => setExit(await inboxListCommand(flags, io)));
  inbox
    .command('retry')
    .argument('[id]', 'a delivery id (the `id` of its log lines, or a longer prefix of its key)')
    .description('put a dead (or waiting) delivery back to pending, due now, attempts reset')
    .addOption(dbOption())
    .addOption(redisOption())
    .addOption(prefixOption())
    .option('--dead', 'every dead delivery')
    .action(async (id: string | undefined, flags: InboxFlags) => setExit(await inboxRetryCommand(id, flags, io)));
  inbox
    .command('purge')
    .description('delete done (or dead) deliveries last changed longer ago than --older-than')
    .addOption(dbOption())
    .addOption(redisOption())
    .addOption(prefixOption())
    .option('--done', 'done deliveries')
    .option('--dead', 'dead deliveries')
    .option('--older-than <duration>', 'e.g. 7d, 12h, 30m', '0ms')
    .action(async (flags: InboxFlags) => setExit(await inboxPurgeCommand(flags, io)));
}

/**
 * A first word that is no command would reach the default command as an argument ("too many arguments"):
 * name the command it was probably meant to be instead.
 */
function unknownCommand(program: Command, argv: string[]): string | undefined {
  const first = argv[0];
  if (first === undefined || first.startsWith('-')) return undefined;
  const names = program.commands.map((command) => command.name());
  if (names.includes(first) || first === 'help') return undefined;
  const near = names.filter((name) => editDistance(name, first) <= Math.max(1, Math.floor(name.length / 3)));
  const guess = near.length > 0 ? ` Did you mean ${near.map((name) => `'${name}'`).join(' or ')}?` : '';
  return `aircall-gen: error: unknown command '${first}'.${guess}\n  commands: ${names.join(', ')} (run with --help for usage)`;
}

/** Levenshtein distance, for command suggestions. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

/** Runs the CLI and returns the exit code; the only place that decides what the user sees on failure. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  const unknown = unknownCommand(program, argv);
  if (unknown !== undefined) {
    io.err(unknown);
    return EXIT_USER_ERROR;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not failures; a bad flag or argument is the user's to fix.
      return error.exitCode === 0 ? 0 : EXIT_USER_ERROR;
    }
    if (isUserError(error)) {
      io.err(formatUserError(error));
      return EXIT_USER_ERROR;
    }
    io.err(
      `aircall-gen: internal error (a bug; please report it with the output below)\n${(error as Error)?.stack ?? String(error)}`,
    );
    return EXIT_BUG;
  }
}

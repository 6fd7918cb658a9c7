import { Command, CommanderError, Option } from 'commander';
import { isUserError } from '../errors.js';
import { formatUserError } from './errors.js';
import { processIo, type Io } from './io.js';
import { generateCommand, type GenerateFlags } from './commands/generate.js';
import { listCommand, validateCommand, EXIT_USER_ERROR, type InspectFlags } from './commands/inspect.js';
import { allowRefRootOption, allowRemoteRefsOption } from './spec-read-flags.js';
import { replayCommand, sendCommand, type DeliverFlags } from './commands/deliver.js';

/** Exit code for a bug in aircall-gen (printed with its stack). */
export const EXIT_BUG = 70;

const GENERATE_EXAMPLES = `
Examples:
  $ npx aircall-gen                          generate ./generated from the bundled Aircall spec
  $ npx aircall-gen --spec my.yaml --out src/aircall
  $ npx aircall-gen --dry-run                show what would change, write nothing
  $ npx aircall-gen --check                  in CI: exit 1 if ./generated is stale
  $ npx aircall-gen --watch                  regenerate whenever the spec changes

Exit codes: 0 ok, 1 --check found stale files, 2 user error (bad spec, flag or folder), 70 bug.`;

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('aircall-gen')
    .description('Generate a typed, validated TypeScript receiver for Aircall webhooks from an AsyncAPI document.')
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
      '\nExamples:\n  $ npx aircall-gen send call.created --token $AIRCALL_WEBHOOK_TOKEN\n  $ npx aircall-gen send ./body.json --url http://localhost:8080/aircall/webhook\n  $ npx aircall-gen send --all\n\nExit codes: 0 all answered 2xx, 1 some were not or a line was skipped (reported; the rest are still sent), 2 user error.',
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
      '\nExamples:\n  $ npx aircall-gen replay quarantine.jsonl --token $AIRCALL_WEBHOOK_TOKEN\n\nExit codes: 0 all answered 2xx, 1 some were not or a line was skipped (reported; the rest are still sent), 2 user error.',
    )
    .action(async (file: string, flags: DeliverFlags) => setExit(await replayCommand(file, flags, io)));

  return program;
}

/** Runs the CLI and returns the exit code; the only place that decides what the user sees on failure. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
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

// `declsign`: the operation table for scripts and servers.
// Contract (scripts depend on it): `--db PATH` or DECLSIGN_DB, `--json` prints one JSON object on stdout,
// the passphrase comes from DECLSIGN_PASSPHRASE or a prompt; exit 0 success/valid, 1 verification failed, 2 usage or input error.

import os from 'node:os';
import path from 'node:path';
import { type AppError, DeclsignError, toAppError } from '../core/errors';
import { invokeOperation } from '../ops/define';
import { createOperationContext } from '../ops/context';
import { DEFAULT_SCRYPT_PARAMS, type ScryptParams } from '../store/vault';
import { operations } from '../ops/table';
import { parseArgs, type FlagSpecs } from './args';
import { type Command, COMMANDS } from './commands';
import { promptHidden } from './io';

const GLOBAL_FLAGS: FlagSpecs = {
  db: { kind: 'string', description: 'store file (default: DECLSIGN_DB or ~/.declsign/store.db)' },
  json: { kind: 'boolean', description: 'print one JSON object on stdout' },
  help: { kind: 'boolean', description: 'show help' },
};

const EXIT_INPUT_ERROR = 2;

function defaultDbPath(): string {
  return process.env.DECLSIGN_DB ?? path.join(os.homedir(), '.declsign', 'store.db');
}

/**
 * TEST ONLY: DECLSIGN_TEST_SCRYPT_LOG_N lowers the scrypt cost of a store created by `init` (2^N instead of 2^17),
 * so the CLI test suite does not spend 0.3 s per command deriving keys. Never set it for a real store: the passphrase
 * then protects the vault far less. Unlock always uses the parameters stored with the vault, whatever this says.
 */
const TEST_SCRYPT_ENV = 'DECLSIGN_TEST_SCRYPT_LOG_N';
const TEST_SCRYPT_LOG_N = { min: 10, max: 16 } as const;

function testScryptParams(): ScryptParams | undefined {
  const raw = process.env[TEST_SCRYPT_ENV];
  if (raw === undefined) return undefined;
  const logN = Number(raw);
  if (!/^\d+$/.test(raw) || logN < TEST_SCRYPT_LOG_N.min || logN > TEST_SCRYPT_LOG_N.max) {
    throw new DeclsignError('invalid_input', `${TEST_SCRYPT_ENV} must be an integer from ${TEST_SCRYPT_LOG_N.min} to ${TEST_SCRYPT_LOG_N.max} (tests only).`);
  }
  return { ...DEFAULT_SCRYPT_PARAMS, N: 2 ** logN };
}

/** The words that name the command: positionals, skipping the value of a global option given before them (`--db PATH keys list`). */
function commandWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (!arg.startsWith('-')) words.push(arg);
    else if (arg.startsWith('--') && !arg.includes('=') && GLOBAL_FLAGS[arg.slice(2)]?.kind === 'string') i++;
  }
  return words;
}

function findCommand(words: readonly string[]): Command | undefined {
  let best: Command | undefined;
  for (const command of COMMANDS) {
    const matches = command.path.every((word, i) => words[i] === word);
    if (matches && (!best || command.path.length > best.path.length)) best = command;
  }
  return best;
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.path.join(' ').length));
  const lines = COMMANDS.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return [
    'declsign — create, sign, countersign, publish and verify admin declarations',
    '',
    'Usage: declsign [--db PATH] [--json] COMMAND [ARGS]',
    '',
    'Commands:',
    ...lines,
    '',
    'Environment: DECLSIGN_DB (store file), DECLSIGN_PASSPHRASE (store passphrase), DECLSIGN_KEY_PASSWORD (key file password).',
    'Exit codes: 0 success or valid, 1 verification failed, 2 usage or input error.',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const flags = Object.entries(command.flags).map(([name, spec]) => `  --${name}${spec.kind === 'boolean' ? '' : ' VALUE'}  ${spec.description}`);
  return [`Usage: ${command.usage}`, '', command.summary, ...(flags.length ? ['', 'Options:', ...flags] : [])].join('\n');
}

function printError(error: AppError, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, error })}\n`);
  process.stderr.write(`declsign: ${error.message} (${error.code})\n`);
}

async function run(argv: readonly string[]): Promise<number> {
  // Global flags may appear anywhere; the command's own flags are merged in once the command is known.
  const words = commandWords(argv);
  const command = findCommand(words);
  const json = argv.includes('--json');
  if (!command) {
    if (argv.length === 0 || argv.includes('--help') || argv[0] === 'help') {
      process.stdout.write(`${helpText()}\n`);
      return argv.length === 0 ? EXIT_INPUT_ERROR : 0;
    }
    printError({ code: 'invalid_input', message: `Unknown command "${words.join(' ')}". Run declsign --help.` }, json);
    return EXIT_INPUT_ERROR;
  }

  let args;
  try {
    args = parseArgs(argv, { ...GLOBAL_FLAGS, ...command.flags });
  } catch (thrown) {
    printError(toAppError(thrown), json);
    return EXIT_INPUT_ERROR;
  }
  if (args.booleans.has('help')) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return 0;
  }
  // Drop the command's own words from the positionals.
  const positionals = args.positionals.slice(command.path.length);
  if (positionals.length < command.positionals.min || positionals.length > command.positionals.max) {
    printError({ code: 'invalid_input', message: `Usage: ${command.usage}` }, json);
    return EXIT_INPUT_ERROR;
  }
  args = { ...args, positionals };

  let scrypt: ScryptParams | undefined;
  try {
    scrypt = testScryptParams();
  } catch (thrown) {
    printError(toAppError(thrown), json);
    return EXIT_INPUT_ERROR;
  }
  const dbPath = args.strings.get('db') ?? defaultDbPath();
  if (dbPath === '') {
    printError({ code: 'invalid_input', message: 'The store path is empty: give --db PATH or set DECLSIGN_DB.' }, json);
    return EXIT_INPUT_ERROR;
  }
  const ctx = createOperationContext({
    dbPath: path.resolve(dbPath),
    ...(scrypt ? { scrypt } : {}),
    askPassphrase: async () => process.env.DECLSIGN_PASSPHRASE ?? promptHidden('Store passphrase: ', 'store-passphrase'),
    onProgress: (event) => {
      if (!json && process.stderr.isTTY) process.stderr.write(`\r${event.message ?? ''} ${event.done}/${event.total}   `);
    },
  });
  try {
    const invoke = (operationName: string, input: unknown) => {
      const operation = operations[operationName as keyof typeof operations];
      if (!operation) throw new DeclsignError('internal_error', `Operation ${operationName} is not in the table.`);
      return invokeOperation(operation, input, ctx);
    };
    const input = await command.input(args, async (operationName, operationInput) => {
      const looked = await invoke(operationName, operationInput);
      if (!looked.ok) throw new DeclsignError(looked.error.code, looked.error.message);
      return looked.value;
    });
    if (command.follow) await command.follow(ctx, args, json);
    const result = await invoke(command.operationFor?.(args) ?? command.operation, input);
    if (!result.ok) {
      printError(result.error, json);
      return EXIT_INPUT_ERROR;
    }
    if (json) {
      process.stdout.write(`${JSON.stringify(result.value)}\n`);
      return command.exitCode?.(result.value) ?? 0;
    }
    const output = command.render(result.value, args);
    process.stdout.write(`${output.text}\n`);
    return output.exitCode ?? 0;
  } catch (thrown) {
    printError(toAppError(thrown), json);
    return EXIT_INPUT_ERROR;
  } finally {
    await ctx.services.close();
  }
}

// A reader that stops early (`declsign decl export X | head`) closes the pipe: not worth a stack trace. The rest of the
// output is dropped and the command still ends with its own exit code (a failed `verify | head` still exits 1).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (thrown: unknown) => {
    process.stderr.write(`declsign: ${String(thrown)}\n`);
    process.exitCode = EXIT_INPUT_ERROR;
  },
);

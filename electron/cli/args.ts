// A small, strict argv parser: the CLI contract is stable, so unknown flags are errors, never silently ignored.

import { DeclsignError } from '../core/errors';

export interface FlagSpec {
  /** `string` takes a value; `boolean` takes none; `list` takes a value and may repeat. */
  kind: 'string' | 'boolean' | 'list';
  description: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

export interface ParsedArgs {
  positionals: string[];
  strings: Map<string, string>;
  booleans: Set<string>;
  lists: Map<string, string[]>;
}

/**
 * Parses `--name value`, `--name=value`, boolean `--name`, and `--` (everything after is positional).
 * A lone `-` is a positional (stdin).
 */
export function parseArgs(argv: readonly string[], specs: FlagSpecs): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], strings: new Map(), booleans: new Set(), lists: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = specs[name];
    if (!spec) throw new DeclsignError('invalid_input', `Unknown option --${name}. Run with --help to see the options.`);
    if (spec.kind === 'boolean') {
      if (eq !== -1) throw new DeclsignError('invalid_input', `Option --${name} takes no value.`);
      parsed.booleans.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) {
        throw new DeclsignError('invalid_input', `Option --${name} needs a value.`);
      }
      i++;
    }
    if (spec.kind === 'list') parsed.lists.set(name, [...(parsed.lists.get(name) ?? []), value]);
    else {
      if (parsed.strings.has(name)) throw new DeclsignError('invalid_input', `Option --${name} was given twice.`);
      parsed.strings.set(name, value);
    }
  }
  return parsed;
}

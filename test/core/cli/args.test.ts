// Tests of the CLI argument parser: both flag forms, types, defaults, help text, and every
// error path with its message.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArgumentError, BugIndicatingError } from '../../../core/base/common/errors.js';
import {
  commandHelp,
  defineCommand,
  flagName,
  parseCommand,
  selectCommand,
  type FlagSpecs,
  type ProgramSpec,
} from '../../../core/cli/args.js';

const generate = defineCommand({
  name: 'generate',
  summary: 'Generate text from a prompt.',
  flags: {
    model: { type: 'string', valueName: 'PATH', required: true, description: 'Model file (GGUF) or folder.' },
    prompt: { type: 'string', required: true, description: 'The prompt.' },
    maxTokens: { type: 'int', min: 1, max: 4096, default: 256, description: 'Tokens to generate.' },
    temperature: { type: 'float', min: 0, default: 0.8, valueName: 'T', description: 'Sampling temperature.' },
    topP: { type: 'float', min: 0, max: 1, default: 0.95, valueName: 'P', description: 'Top-p.' },
    repeatPenalty: { type: 'float', min: 0, minExclusive: true, default: 1, valueName: 'R', description: 'Repeat penalty.' },
    seed: { type: 'int', min: 0, description: 'PRNG seed.' },
    backend: { type: 'enum', values: ['cpu', 'webgpu', 'auto'], default: 'auto', description: 'Compute backend.' },
    json: { type: 'boolean', description: 'Print JSON.' },
  },
});

const tokenize = defineCommand({
  name: 'tokenize',
  summary: 'Print the token ids of a text.',
  flags: {
    model: { type: 'string', valueName: 'PATH', required: true, description: 'Model file.' },
    special: { type: 'boolean', description: 'Parse special tokens.' },
  },
  positionals: [{ name: 'TEXT', description: 'The text to tokenize.', required: true }],
});

const program: ProgramSpec = { name: 'pinpoint', summary: 'A local assistant.', commands: [generate, tokenize] };

function run<F extends FlagSpecs>(command: Parameters<typeof parseCommand<F>>[0], args: string[]) {
  const parsed = parseCommand(command, args);
  assert.equal(parsed.kind, 'run');
  if (parsed.kind !== 'run') throw new Error('unreachable');
  return parsed;
}

function rejects(args: string[], message: string, command = generate as Parameters<typeof parseCommand>[0]): void {
  assert.throws(
    () => parseCommand(command, args),
    (error: unknown) => {
      assert.ok(error instanceof ArgumentError, `${args.join(' ')} throws an ArgumentError`);
      assert.equal(error.message, message);
      return true;
    },
  );
}

const BASE = ['--model', 'm.gguf', '--prompt', 'hi'];

test('flag names are the kebab-case of the keys', () => {
  assert.equal(flagName('maxTokens'), '--max-tokens');
  assert.equal(flagName('model'), '--model');
});

test('both --flag value and --flag=value are accepted, with typed values and defaults', () => {
  const parsed = run(generate, ['--model', 'm.gguf', '--prompt=Once upon', '--max-tokens=12', '--temperature', '0.5', '--json']);
  assert.deepEqual(parsed.flags, {
    model: 'm.gguf',
    prompt: 'Once upon',
    maxTokens: 12,
    temperature: 0.5,
    topP: 0.95,
    repeatPenalty: 1,
    seed: undefined,
    backend: 'auto',
    json: true,
  });
  assert.deepEqual(parsed.positionals, []);
  // The types follow the declarations.
  const maxTokens: number = parsed.flags.maxTokens;
  const backend: 'cpu' | 'webgpu' | 'auto' = parsed.flags.backend;
  const seed: number | undefined = parsed.flags.seed;
  assert.deepEqual([maxTokens, backend, seed], [12, 'auto', undefined]);
});

test('values may start with a single dash or contain "="', () => {
  const parsed = run(generate, [...BASE.slice(0, 2), '--prompt', '-x=y', '--seed', '+7', '--temperature', '.5e1']);
  assert.equal(parsed.flags.prompt, '-x=y');
  assert.equal(parsed.flags.seed, 7);
  assert.equal(parsed.flags.temperature, 5);
  assert.equal(run(generate, [...BASE.slice(0, 2), '--prompt=a=b']).flags.prompt, 'a=b');
});

test('booleans: absent is false, --flag is true, --flag=false and --flag=true are accepted', () => {
  assert.equal(run(generate, BASE).flags.json, false);
  assert.equal(run(generate, [...BASE, '--json=true']).flags.json, true);
  assert.equal(run(generate, [...BASE, '--json=false']).flags.json, false);
});

test('enums accept exactly their values', () => {
  assert.equal(run(generate, [...BASE, '--backend', 'webgpu']).flags.backend, 'webgpu');
  rejects([...BASE, '--backend', 'npu'], 'Unsupported value for --backend: "npu". Should be one of: cpu, webgpu, auto.');
  rejects([...BASE, '--backend=CPU'], 'Unsupported value for --backend: "CPU". Should be one of: cpu, webgpu, auto.');
});

test('positionals are collected; after -- everything is positional', () => {
  assert.deepEqual(run(tokenize, ['--model', 'm', 'hello']).positionals, ['hello']);
  assert.deepEqual(run(tokenize, ['--model', 'm', '--', '--special']).positionals, ['--special']);
  assert.equal(run(tokenize, ['--model', 'm', '--', '--special']).flags.special, false);
  assert.deepEqual(run(tokenize, ['--model', 'm', '-5']).positionals, ['-5']);
});

test('unknown flags are rejected with the known ones and a close match', () => {
  rejects(
    [...BASE, '--tempreature', '1'],
    'Unknown option "--tempreature" for "pinpoint generate". Should be one of: --model, --prompt, --max-tokens, --temperature, --top-p, --repeat-penalty, --seed, --backend, --json, --help. Did you mean --temperature?',
  );
  rejects(
    ['--model', 'm', '--verbose', 'x'],
    'Unknown option "--verbose" for "pinpoint tokenize". Should be one of: --model, --special, --help.',
    tokenize,
  );
  rejects([...BASE, '-t', '1'], 'Unknown option "-t" for "pinpoint generate". Options are written --name (see pinpoint generate --help).');
});

test('a missing value is rejected, also when the next argument is a flag', () => {
  rejects(['--model'], 'Option --model needs a value: --model PATH.');
  rejects(['--model', '--prompt', 'x'], 'Option --model needs a value: --model PATH.');
  rejects([...BASE, '--backend'], 'Option --backend needs a value: --backend cpu|webgpu|auto.');
});

test('bad numbers are rejected with the allowed range', () => {
  rejects([...BASE, '--max-tokens', '12x'], 'Invalid value for --max-tokens: "12x". Should be an integer from 1 to 4096.');
  rejects([...BASE, '--max-tokens', '1.5'], 'Invalid value for --max-tokens: "1.5". Should be an integer from 1 to 4096.');
  rejects([...BASE, '--max-tokens='], 'Invalid value for --max-tokens: "". Should be an integer from 1 to 4096.');
  rejects([...BASE, '--max-tokens', '0x10'], 'Invalid value for --max-tokens: "0x10". Should be an integer from 1 to 4096.');
  rejects([...BASE, '--seed', '99999999999999999999'], 'Invalid value for --seed: "99999999999999999999". Should be an integer >= 0.');
  rejects([...BASE, '--temperature', 'hot'], 'Invalid value for --temperature: "hot". Should be a number >= 0.');
  rejects([...BASE, '--temperature', 'Infinity'], 'Invalid value for --temperature: "Infinity". Should be a number >= 0.');
  rejects([...BASE, '--temperature', 'NaN'], 'Invalid value for --temperature: "NaN". Should be a number >= 0.');
  rejects([...BASE, '--temperature', '1e'], 'Invalid value for --temperature: "1e". Should be a number >= 0.');
});

test('numbers out of range are rejected, with inclusive and exclusive bounds', () => {
  rejects([...BASE, '--max-tokens', '0'], 'Invalid value for --max-tokens: "0". Should be an integer from 1 to 4096.');
  rejects([...BASE, '--max-tokens', '4097'], 'Invalid value for --max-tokens: "4097". Should be an integer from 1 to 4096.');
  rejects([...BASE, '--top-p', '1.01'], 'Invalid value for --top-p: "1.01". Should be a number from 0 to 1.');
  rejects([...BASE, '--temperature', '-0.1'], 'Invalid value for --temperature: "-0.1". Should be a number >= 0.');
  rejects([...BASE, '--seed=-1'], 'Invalid value for --seed: "-1". Should be an integer >= 0.');
  rejects([...BASE, '--repeat-penalty', '0'], 'Invalid value for --repeat-penalty: "0". Should be a number > 0.');
  assert.equal(run(generate, [...BASE, '--top-p', '1', '--max-tokens', '4096']).flags.topP, 1);
  assert.equal(run(generate, [...BASE, '--repeat-penalty', '0.01']).flags.repeatPenalty, 0.01);
});

test('a bad boolean value is rejected', () => {
  rejects([...BASE, '--json=yes'], 'Invalid value for --json: "yes". Should be true or false (or just --json).');
});

test('a flag given twice is rejected', () => {
  rejects([...BASE, '--seed', '1', '--seed=2'], 'Option --seed is given twice for "pinpoint generate". Give it once.');
});

test('missing required flags are all named', () => {
  rejects([], 'Missing required options for "pinpoint generate": --model PATH, --prompt TEXT.');
  rejects(['--prompt', 'x'], 'Missing required option for "pinpoint generate": --model PATH.');
});

test('missing and extra positionals are rejected', () => {
  rejects(['--model', 'm'], 'Missing argument TEXT for "pinpoint tokenize": The text to tokenize.', tokenize);
  rejects(['--model', 'm', 'a', 'b'], 'Unexpected argument "b" for "pinpoint tokenize". It takes: TEXT.', tokenize);
  rejects([...BASE, 'extra'], 'Unexpected argument "extra" for "pinpoint generate". It takes no positional arguments.');
});

test('--help and -h give the help text, even with other (bad) arguments', () => {
  for (const args of [['--help'], ['-h'], ['--bogus', '--help'], ['--max-tokens', 'x', '-h']]) {
    const parsed = parseCommand(generate, args);
    assert.equal(parsed.kind, 'help', args.join(' '));
  }
  assert.equal(parseCommand(tokenize, ['--model', 'm', '--', '--help']).kind, 'run');
});

test('the help text documents every flag with its type, range and default', () => {
  const text = commandHelp('pinpoint', generate);
  assert.equal(
    text,
    [
      'Usage: pinpoint generate --model PATH --prompt TEXT [options]',
      '',
      'Generate text from a prompt.',
      '',
      'Options:',
      '  --model PATH               Model file (GGUF) or folder. Required.',
      '  --prompt TEXT              The prompt. Required.',
      '  --max-tokens N             Tokens to generate. An integer from 1 to 4096. Default: 256.',
      '  --temperature T            Sampling temperature. A number >= 0. Default: 0.8.',
      '  --top-p P                  Top-p. A number from 0 to 1. Default: 0.95.',
      '  --repeat-penalty R         Repeat penalty. A number > 0. Default: 1.',
      '  --seed N                   PRNG seed. An integer >= 0. Default: none.',
      '  --backend cpu|webgpu|auto  Compute backend. Default: auto.',
      '  --json                     Print JSON. Default: off.',
      '  -h, --help                 Show this help.',
    ].join('\n'),
  );
  const tokenizeHelp = commandHelp('pinpoint', tokenize);
  assert.match(tokenizeHelp, /^Usage: pinpoint tokenize --model PATH \[options\] TEXT$/m);
  assert.match(tokenizeHelp, /^Arguments:\n {2}TEXT {2}The text to tokenize\.$/m);
});

test('selectCommand dispatches on the first argument and gives program help', () => {
  const selected = selectCommand(program, ['tokenize', '--model', 'm', 'hi']);
  assert.equal(selected.kind, 'command');
  if (selected.kind === 'command') {
    assert.equal(selected.command, tokenize);
    assert.deepEqual(selected.args, ['--model', 'm', 'hi']);
  }
  for (const argv of [[], ['--help'], ['-h'], ['help']]) {
    const help = selectCommand(program, argv);
    assert.equal(help.kind, 'help');
    if (help.kind === 'help') assert.match(help.text, /^ {2}generate {2}Generate text from a prompt\.$/m);
  }
  const commandHelpText = selectCommand(program, ['help', 'generate']);
  assert.equal(commandHelpText.kind === 'help' && commandHelpText.text, commandHelp('pinpoint', generate));
});

test('an unknown command is rejected with the known ones', () => {
  assert.throws(() => selectCommand(program, ['genrate']), {
    name: 'ArgumentError',
    message: 'Unknown command: "genrate". Should be one of: generate, tokenize. Did you mean generate?',
  });
  assert.throws(() => selectCommand(program, ['help', 'nope']), {
    message: 'Unknown command: "nope". Should be one of: generate, tokenize.',
  });
});

test('malformed declarations are bugs, caught when the command is defined', () => {
  const bad = (flags: FlagSpecs): unknown => defineCommand({ name: 'x', summary: 'x', flags });
  assert.throws(() => bad({ 'max-tokens': { type: 'int', description: 'd' } }), BugIndicatingError);
  assert.throws(() => bad({ help: { type: 'boolean', description: 'd' } }), BugIndicatingError);
  assert.throws(() => bad({ n: { type: 'int', min: 1, default: 0, description: 'd' } }), BugIndicatingError);
  assert.throws(() => bad({ n: { type: 'int', default: 1.5, description: 'd' } }), BugIndicatingError);
  assert.throws(() => bad({ b: { type: 'enum', values: ['a'], default: 'z', description: 'd' } }), BugIndicatingError);
  assert.throws(() => bad({ b: { type: 'enum', values: [], description: 'd' } }), BugIndicatingError);
});

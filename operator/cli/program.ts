/**
 * The `kubetune` program: built from the command table (commands.ts); `main` runs the chosen
 * command and turns whatever it throws into an exit code (errors.ts). main.ts is the entry point.
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands.js';
import { reportError } from './errors.js';

const VERSION = '0.1.0';

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('kubetune')
    .description('Hyperparameter tuning with one TuningStudy YAML: on a Kubernetes cluster, or on this machine.')
    .version(VERSION)
    .exitOverride()
    .showSuggestionAfterError();
  for (const spec of COMMANDS) {
    const cmd = program.command(`${spec.name} ${spec.args}`).description(spec.summary).exitOverride();
    // Everything after the command name, --help included, goes to the command's own parser.
    if (spec.passThrough === true) cmd.helpOption(false).allowUnknownOption().allowExcessArguments();
    for (const o of spec.options) cmd.option(o.flags, o.description, o.defaultValue as string | boolean | undefined);
    cmd.action(async (...received: unknown[]) => {
      // commander passes the declared arguments, then the options object, then the command.
      // An optional argument left out arrives as undefined: it is absent, not the word "undefined".
      const args = received.slice(0, -2).flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? a.map(String) : [String(a)]));
      const options = received.at(-2) as Record<string, unknown>;
      const command = await spec.load();
      setExitCode(await command.default(args, options));
    });
  }
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  try {
    await buildProgram((c) => (code = c)).parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      return 2;
    }
    return reportError(err);
  }
}


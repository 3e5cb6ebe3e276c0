// Command-line argument walking shared by `tensorlens summary` and `tensorlens lint`: each
// token is handed to the command with a `value()` that takes the flag's value, written either
// as `--flag value` or `--flag=value`. A flag given last with no value is a usage error
// ("--flag needs a value"), raised through the command's own error class so each command
// keeps its usage text and exit code.

/** Makes the command's usage error (its class decides which usage text is printed). */
export type UsageErrorFactory = (message: string) => Error;

/** The value of the flag at hand: after `=` in the same token, else the next token. */
export type FlagValue = () => string;

/**
 * Calls `onArg(token, value)` for every token of `argv` in order. `value()` consumes the
 * flag's value (the next token when the flag has no `=`), so that token is not visited.
 */
export function walkArgs(argv: readonly string[], usageError: UsageErrorFactory, onArg: (arg: string, value: FlagValue) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value: FlagValue = () => {
      const eq = arg.indexOf('=');
      if (eq > 0) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) throw usageError(`${arg} needs a value`);
      return next;
    };
    onArg(arg, value);
  }
}

/** True for `--name` and `--name=...`. */
export function isFlag(arg: string, name: string): boolean {
  return arg === name || arg.startsWith(`${name}=`);
}

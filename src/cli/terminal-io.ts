import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import type { LoginIo } from "./login-prompts.js";

/**
 * Prompts on stderr, answers from stdin. Hidden answers are read with the echo swallowed:
 * readline writes what is typed to `output`, which is muted while a secret is typed.
 */
export function terminalIo(): LoginIo & { close(): void } {
  const interactive = process.stdin.isTTY === true;
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const readline = createInterface({ input: process.stdin, output, terminal: interactive });
  return {
    interactive,
    ask: (question) => readline.question(question),
    async askHidden(question) {
      process.stderr.write(question);
      muted = true;
      try {
        return await readline.question("");
      } finally {
        muted = false;
        process.stderr.write("\n");
      }
    },
    say: (message) => {
      process.stderr.write(`${message}\n`);
    },
    close: () => readline.close(),
  };
}

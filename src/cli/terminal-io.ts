import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { LoginAbortedError, type LoginIo } from "./login-prompts.js";

/**
 * Prompts on stderr, answers from stdin one line each, whether stdin is a terminal or a pipe.
 * Lines are queued as they arrive: a script that writes every answer at once (or before the
 * question is shown) must not lose any, which `readline.question` would. Hidden answers are read
 * with the terminal's echo swallowed: readline writes what is typed to `output`, muted meanwhile.
 */
export function terminalIo(): LoginIo & { close(): void } {
  const terminal = process.stdin.isTTY === true;
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const readline = createInterface({ input: process.stdin, output, terminal, prompt: "" });
  const lines: string[] = [];
  let waiting: { resolve: (line: string) => void; reject: (error: Error) => void } | null = null;
  let ended = false;
  readline.on("line", (line) => {
    if (waiting === null) lines.push(line);
    else {
      const { resolve } = waiting;
      waiting = null;
      resolve(line);
    }
  });
  readline.on("close", () => {
    ended = true;
    waiting?.reject(new LoginAbortedError("stdin ended before the question was answered."));
    waiting = null;
  });

  const nextLine = (question: string): Promise<string> => {
    const queued = lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (ended) {
      return Promise.reject(new LoginAbortedError(`stdin ended: no answer to "${question.trim()}"`));
    }
    return new Promise((resolve, reject) => {
      waiting = { resolve, reject };
    });
  };

  // A terminal echoes the answer and its Enter; from a pipe the next message would follow the
  // question on the same line.
  const afterAnswer = (): void => {
    if (!terminal) process.stderr.write("\n");
  };
  return {
    async ask(question) {
      process.stderr.write(question);
      const line = await nextLine(question);
      afterAnswer();
      return line;
    },
    async askHidden(question) {
      process.stderr.write(question);
      muted = true;
      try {
        return await nextLine(question);
      } finally {
        muted = false;
        // The muted terminal swallowed the Enter too.
        process.stderr.write("\n");
      }
    },
    say: (message) => {
      process.stderr.write(`${message}\n`);
    },
    close: () => readline.close(),
  };
}

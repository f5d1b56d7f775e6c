import { demo } from "./demo.js";

const USAGE = `usage: tessera <command>

commands:
  demo     the course's im2col example and sgemm speed on this machine
  help     this text`;

/** Runs the CLI with `args`; returns the exit code. */
export async function run(args: readonly string[], log: (line: string) => void, err: (line: string) => void): Promise<number> {
  const [command = "help"] = args;
  switch (command) {
    case "demo":
      demo(log);
      return 0;
    case "help":
    case "--help":
    case "-h":
      log(USAGE);
      return 0;
    default:
      err(`tessera: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

/** One `vanban` sub-command: takes its own arguments, returns the exit code. */
export interface Command {
  readonly summary: string;
  run(args: string[]): Promise<number>;
}

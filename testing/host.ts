/**
 * What the testing kit needs from its runtime: processes, files, and loopback TCP. The Deno entry
 * (`testing/mod.ts`) and the Node entry (`testing/node.ts`) each supply one.
 * @module
 */

/** A started child process. */
export interface HostProcess {
  /** The process id. */
  readonly pid: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** Sends a signal (e.g. "SIGKILL", "SIGSTOP", "SIGCONT", "SIGHUP", "SIGUSR2"); ignored after exit. */
  signal(sig: "SIGKILL" | "SIGTERM" | "SIGSTOP" | "SIGCONT" | "SIGHUP" | "SIGUSR2"): void;
}

/** The outcome of {@link Host.run}. */
export interface RunResult {
  /** True for exit code 0. */
  success: boolean;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** A loopback TCP connection. */
export interface HostSocket {
  /** Reads into `buf`; the byte count, or null at end of stream. */
  read(buf: Uint8Array): Promise<number | null>;
  /** Writes all of `data`. */
  write(data: Uint8Array): Promise<void>;
  /** Closes the connection (idempotent). */
  close(): void;
}

/** A TCP listener on 127.0.0.1. */
export interface HostListener {
  /** The port it listens on. */
  readonly port: number;
  /** The next connection, or null once closed. */
  accept(): Promise<HostSocket | null>;
  /** Stops listening (idempotent). */
  close(): void;
}

/** Runtime services used by the testing kit. */
export interface Host {
  /** An environment variable, or undefined. */
  env(name: string): string | undefined;
  /** The working directory. */
  cwd(): string;
  /** True when `path` is an executable regular file. */
  isExecutable(path: string): Promise<boolean>;
  /** A new temporary folder. */
  makeTempDir(prefix: string): Promise<string>;
  /** Reads a text file. */
  readTextFile(path: string): Promise<string>;
  /** Writes a text file. */
  writeTextFile(path: string, text: string): Promise<void>;
  /** Removes a file or folder recursively; no error if missing. */
  remove(path: string): Promise<void>;
  /** Starts `bin` with `args`, stdio ignored. */
  spawn(bin: string, args: string[]): HostProcess;
  /** Runs `bin` to completion in `cwd`, collecting its output. */
  run(bin: string, args: string[], cwd?: string): Promise<RunResult>;
  /** A TCP port on 127.0.0.1 that was free a moment ago. */
  freePort(): Promise<number>;
  /** Listens on 127.0.0.1:`port` (0 for any free one). */
  listen(port: number): Promise<HostListener>;
  /** Connects to 127.0.0.1:`port`. */
  connect(port: number): Promise<HostSocket>;
}

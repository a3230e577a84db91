/**
 * Runs a small client script in a separate `deno run` process with exactly the flags a test gives
 * (e.g. only `--allow-net=127.0.0.1:PORT`), to check what the library needs from the runtime.
 */

/** The outcome of {@link runScript}. */
export interface ScriptResult {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Absolute file URL of a repository file, for imports in scripts written outside the repo. */
export function repoUrl(path: string): string {
  return new URL(`../../${path}`, import.meta.url).href;
}

/**
 * Writes `source` to a temp folder and runs it with `deno run --no-prompt <flags> script.ts <args>`
 * (plus the repository's deno.json, so bare npm imports resolve), with `env` added to the
 * environment. The folder is removed afterwards.
 */
export async function runScript(
  source: string,
  flags: string[],
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<ScriptResult> {
  const dir = await Deno.makeTempDir({ prefix: "natsw-script-" });
  try {
    await Deno.writeTextFile(`${dir}/script.ts`, source);
    const config = new URL("../../deno.json", import.meta.url).pathname;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", "--config", config, ...flags, `${dir}/script.ts`, ...args],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1", ...env },
    }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

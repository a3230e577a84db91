/**
 * Deno's file and environment access for `nats` CLI contexts, used only when a context is asked
 * for (so only then are `--allow-read` and `--allow-env` needed).
 *
 * @module
 */
import type { ContextFiles } from "../context.ts";
import { InvalidArgumentError } from "../errors.ts";

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch (err) {
    throw new InvalidArgumentError(`reading a nats CLI context needs --allow-env=${name}`, { cause: err });
  }
}

/** Reads context files with `Deno.readTextFile` and the environment with `Deno.env`. */
export const denoContextFiles: ContextFiles = {
  readText: (path) => Deno.readTextFile(path),
  env,
  home: () => env("HOME") ?? env("USERPROFILE"),
};

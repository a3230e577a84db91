/**
 * Node's file and environment access for `nats` CLI contexts, used only when a context is asked
 * for.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import process from "node:process";
import type { ContextFiles } from "../context.ts";

/** Reads context files with `node:fs` and the environment with `process.env`. */
export const nodeContextFiles: ContextFiles = {
  readText: (path) => readFile(path, "utf8"),
  env: (name) => process.env[name],
  home: () => homedir() || undefined,
};

/**
 * Reads a credentials file with `node:fs` (the Node counterpart of the Deno entry's
 * `readCredsFile`).
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { InvalidArgumentError } from "../errors.ts";
import { parseCreds } from "../auth/creds.ts";

/**
 * Reads the creds file at `path` and checks that it parses; resolves with its text, ready for
 * `credsAuthenticator`. Pass it as a function to re-read the file on every reconnect.
 *
 * @throws {InvalidArgumentError} when the file cannot be read or is not a valid creds file.
 *
 * @example
 * ```ts ignore
 * import { connect, credsAuthenticator, readCredsFile } from "natsw";
 * const nc = await connect({
 *   servers: "127.0.0.1:4222",
 *   authenticator: credsAuthenticator(() => readCredsFile("./user.creds")),
 * });
 * ```
 */
export async function readCredsFile(path: string | URL): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new InvalidArgumentError(`cannot read creds file '${path}': ${(err as Error).message}`, { cause: err });
  }
  parseCreds(text);
  return text;
}

/**
 * Reads a credentials file from disk. This is the only auth module that needs a permission
 * (`--allow-read=<path>`), so importing the authenticators needs none.
 *
 * @module
 */
import { InvalidArgumentError } from "../errors.ts";
import { parseCreds } from "./creds.ts";

/**
 * Reads the creds file at `path` and checks that it parses; resolves with its text, ready for
 * `credsAuthenticator`. Pass it as a function to re-read the file on every reconnect.
 *
 * @throws {InvalidArgumentError} when the file cannot be read or is not a valid creds file.
 *
 * @example
 * ```ts ignore
 * const nc = await connect({
 *   servers: "127.0.0.1:4222",
 *   authenticator: credsAuthenticator(() => readCredsFile("./user.creds")),
 * });
 * ```
 */
export async function readCredsFile(path: string | URL): Promise<string> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    throw new InvalidArgumentError(`cannot read creds file '${path}': ${(err as Error).message}`, { cause: err });
  }
  parseCreds(text);
  return text;
}

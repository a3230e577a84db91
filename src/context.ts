/**
 * `nats` CLI contexts: the JSON files operators keep under `$XDG_CONFIG_HOME/nats/context/` (or
 * `~/.config/nats/context/`), read as the `nats` CLI reads them. This module is runtime-neutral:
 * the runtime's entry point supplies the {@link ContextFiles} that reads files and the
 * environment, and only when a context is asked for.
 *
 * @module
 */
import { credsAuthenticator, nkeyAuthenticator } from "./auth/authenticators.ts";
import { InvalidArgumentError } from "./errors.ts";
import { NatsConnection } from "./nats.ts";
import type { ConnectionOptions } from "./options.ts";
import type { Dialer } from "./transport/transport.ts";
import { withDefaults } from "./option_check.ts";

/** What loading a context needs from the runtime. */
export interface ContextFiles {
  /** Reads a text file; rejects when it cannot. */
  readText(path: string): Promise<string>;
  /** An environment variable, or undefined. */
  env(name: string): string | undefined;
  /** The user's home directory, or undefined. */
  home(): string | undefined;
}

/** A loaded context: connection options, plus the JetStream settings to use with them. */
export interface NatsContext {
  /** The context's name (its file name without `.json`). */
  name: string;
  /** The file it was read from. */
  path: string;
  /** Its description, if any. */
  description?: string;
  /** Options for `connect()`: servers, credentials, TLS, inbox prefix. */
  options: ConnectionOptions;
  /** JetStream settings (`jetstream(nc, context.jetstream)`; `connect({ context })` applies them itself). */
  jetstream: { domain?: string; apiPrefix?: string };
}

/** The fields of a context file this client reads (the `nats` CLI writes more: colors, descriptions, …). */
interface ContextSettings {
  description?: string;
  url?: string;
  token?: string;
  user?: string;
  password?: string;
  creds?: string;
  nkey?: string;
  cert?: string;
  key?: string;
  ca?: string;
  nsc?: string;
  socks_proxy?: string;
  windows_cert_store?: string;
  jetstream_domain?: string;
  jetstream_api_prefix?: string;
  inbox_prefix?: string;
  tls_first?: boolean;
}

const STRING_FIELDS = [
  "description",
  "url",
  "token",
  "user",
  "password",
  "creds",
  "nkey",
  "cert",
  "key",
  "ca",
  "nsc",
  "socks_proxy",
  "windows_cert_store",
  "jetstream_domain",
  "jetstream_api_prefix",
  "inbox_prefix",
] as const;

/** `$XDG_CONFIG_HOME`, else `~/.config`. */
function configDir(files: ContextFiles): string {
  const xdg = files.env("XDG_CONFIG_HOME");
  if (xdg) return xdg;
  const home = files.home();
  if (!home) {
    throw new InvalidArgumentError(
      "cannot find the nats CLI contexts: neither XDG_CONFIG_HOME nor a home directory is set",
    );
  }
  return `${home}/.config`;
}

/** `~/x` → `<home>/x`. */
function expandHome(path: string, files: ContextFiles): string {
  if (!path.startsWith("~")) return path;
  const home = files.home();
  return home ? home + path.slice(1) : path;
}

/** `$VAR` and `${VAR}` → their values (unset: empty), as the CLI does for the creds path. */
function expandEnv(path: string, files: ContextFiles): string {
  return path.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, a, b) => files.env(a ?? b) ?? "",
  );
}

/**
 * The text of `path`, or an `InvalidArgumentError` saying `failure` whose cause carries only the
 * read error's name (its message may quote the file).
 */
async function readText(files: ContextFiles, path: string, failure: string): Promise<string> {
  try {
    return await files.readText(path);
  } catch (err) {
    throw new InvalidArgumentError(failure, { cause: new Error((err as Error)?.name ?? "read failed") });
  }
}

function readFileFor(what: string, path: string, context: string, files: ContextFiles): Promise<string> {
  return readText(files, path, `context '${context}': cannot read its ${what} file '${path}'`);
}

/** Where the context `name` lives; an absolute path names the file itself, no name the selected context. */
async function locate(name: string | undefined, files: ContextFiles): Promise<{ name: string; path: string }> {
  if (name !== undefined && name.startsWith("/")) {
    const base = name.slice(name.lastIndexOf("/") + 1);
    return { name: base.replace(/\.json$/, ""), path: name };
  }
  const dir = `${configDir(files)}/nats`;
  let chosen = name;
  if (chosen === undefined || chosen === "") {
    chosen = (await files.readText(`${dir}/context.txt`).catch(() => "")).trim();
    if (!chosen) {
      throw new InvalidArgumentError(`no nats CLI context is selected ('${dir}/context.txt' is missing or empty)`);
    }
  }
  if (chosen.includes("..") || chosen.includes("/") || chosen.includes("\\")) {
    throw new InvalidArgumentError(`invalid context name '${chosen}'`);
  }
  return { name: chosen, path: `${dir}/context/${chosen}.json` };
}

function parseSettings(text: string, path: string): ContextSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // the parser's message can quote the file, and the file holds secrets
    throw new InvalidArgumentError(`context file '${path}' is not valid JSON`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new InvalidArgumentError(`context file '${path}' does not hold a JSON object`);
  }
  const settings = raw as Record<string, unknown>;
  for (const field of STRING_FIELDS) {
    if (settings[field] !== undefined && typeof settings[field] !== "string") {
      throw new InvalidArgumentError(`context file '${path}': '${field}' must be a string`);
    }
  }
  if (settings.tls_first !== undefined && typeof settings.tls_first !== "boolean") {
    throw new InvalidArgumentError(`context file '${path}': 'tls_first' must be a boolean`);
  }
  return settings as ContextSettings;
}

/** The first user seed (`SU…`) in an nkey seed file. */
function seedFrom(text: string, path: string, context: string): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => /^SU[A-Z2-7]+$/.test(l));
  if (!line) throw new InvalidArgumentError(`context '${context}': the nkey file '${path}' holds no user seed`);
  return line;
}

/**
 * Loads the context `name` (no name: the one selected with `nats context select`; an absolute
 * path: that file) through `files`. User and password win over a creds file, which wins over an
 * nkey seed file, as in the `nats` CLI; a token is added to any of them. Certificate, key and CA
 * files are read now; a creds file is read now and again on every reconnect. Throws
 * `InvalidArgumentError` naming the file (never its contents) for a missing, unreadable or
 * malformed context, and for settings this client cannot honour (`nsc` lookups, SOCKS proxies,
 * Windows certificate stores).
 *
 * @example
 * ```ts
 * import { loadContextWith } from "./context.ts";
 * const files = {
 *   readText: (p: string) =>
 *     p === "/cfg/nats/context/dev.json"
 *       ? Promise.resolve('{"url":"nats://127.0.0.1:4222","user":"a","password":"b","inbox_prefix":"_DEV"}')
 *       : Promise.reject(new Error("no such file")),
 *   env: (n: string) => n === "XDG_CONFIG_HOME" ? "/cfg" : undefined,
 *   home: () => "/home/me",
 * };
 * const ctx = await loadContextWith(files, "dev");
 * if (ctx.options.user !== "a" || ctx.options.inboxPrefix !== "_DEV") throw new Error("not loaded");
 * ```
 */
export async function loadContextWith(files: ContextFiles, name?: string): Promise<NatsContext> {
  if (name !== undefined && typeof name !== "string") {
    throw new InvalidArgumentError("a context name must be a string");
  }
  const where = await locate(name, files);
  const text = await files.readText(where.path).catch(() => {
    throw new InvalidArgumentError(`unknown context '${where.name}' (cannot read '${where.path}')`);
  });
  const s = parseSettings(text, where.path);
  const ctx = where.name;
  if (s.nsc) throw new InvalidArgumentError(`context '${ctx}': nsc lookups are not supported; set url and creds`);
  if (s.socks_proxy) throw new InvalidArgumentError(`context '${ctx}': SOCKS proxies are not supported`);
  if (s.windows_cert_store) {
    throw new InvalidArgumentError(`context '${ctx}': Windows certificate stores are not supported`);
  }

  const options: ConnectionOptions = {};
  if (s.url) options.servers = s.url.split(",").map((u) => u.trim()).filter((u) => u.length > 0);
  if (s.user) {
    options.user = s.user;
    if (s.password) options.pass = s.password;
  } else if (s.creds) {
    const path = expandHome(expandEnv(s.creds, files), files);
    const first = await readFileFor("creds", path, ctx, files);
    let text: string | undefined = first;
    options.authenticator = credsAuthenticator(() => {
      const now = text;
      text = undefined;
      return now ?? readFileFor("creds", path, ctx, files);
    });
  } else if (s.nkey) {
    const path = expandHome(s.nkey, files);
    options.authenticator = nkeyAuthenticator(seedFrom(await readFileFor("nkey", path, ctx, files), path, ctx));
  }
  if (s.token) options.token = s.token;
  const tls: NonNullable<Exclude<ConnectionOptions["tls"], true | null>> = {};
  if (s.cert && s.key) {
    tls.cert = await readFileFor("certificate", expandHome(s.cert, files), ctx, files);
    tls.key = await readFileFor("key", expandHome(s.key, files), ctx, files);
  }
  if (s.ca) tls.caCerts = [await readFileFor("CA", expandHome(s.ca, files), ctx, files)];
  if (s.tls_first) tls.handshakeFirst = true;
  if (Object.keys(tls).length > 0) options.tls = tls;
  if (s.inbox_prefix) options.inboxPrefix = s.inbox_prefix;
  const jetstream: NatsContext["jetstream"] = {};
  if (s.jetstream_domain) jetstream.domain = s.jetstream_domain;
  if (s.jetstream_api_prefix) jetstream.apiPrefix = s.jetstream_api_prefix;
  return { name: ctx, path: where.path, description: s.description || undefined, options, jetstream };
}

/** The context each connection was made from (for `jetstream()` defaults). */
const contexts = new WeakMap<object, NatsContext>();

/** The context `nc` was connected with (`connect({ context })`), if any. */
export function contextOf(nc: object): NatsContext | undefined {
  return contexts.get(nc);
}

/**
 * Connects with `options`, loading the context it names (`context`) first: what the caller gives
 * explicitly wins over the context, and the context's JetStream domain and API prefix become the
 * defaults of `jetstream(nc)` and `jetstreamManager(nc)`. `files` is undefined in runtimes without
 * file access, where naming a context is an `InvalidArgumentError`.
 */
export async function connectWithContext(
  options: ConnectionOptions,
  files: ContextFiles | undefined,
  dial: Dialer,
): Promise<NatsConnection> {
  if (options === null || typeof options !== "object" || options.context === undefined) {
    return NatsConnection.connect(await withTlsFiles(options, files), dial);
  }
  const { context: name, ...rest } = options;
  if (!files) {
    throw new InvalidArgumentError("nats CLI contexts cannot be read in this runtime (it has no file access)");
  }
  const context = await loadContextWith(files, name);
  const nc = await NatsConnection.connect(await withTlsFiles(withDefaults(context.options, rest), files), dial);
  contexts.set(nc, context);
  return nc;
}

/**
 * `options` with nats.js's `tls.caFile`, `certFile` and `keyFile` read into `caCerts`, `cert` and
 * `key` (`InvalidArgumentError` naming the file, never its contents, when one cannot be read, and
 * when this runtime has no file access).
 */
async function withTlsFiles(options: ConnectionOptions, files: ContextFiles | undefined): Promise<ConnectionOptions> {
  const tls = options?.tls;
  if (typeof tls !== "object" || tls === null) return options;
  const { caFile, certFile, keyFile, ...rest } = tls;
  if (caFile === undefined && certFile === undefined && keyFile === undefined) return options;
  if (!files) {
    throw new InvalidArgumentError("tls.caFile, certFile and keyFile need file access, which this runtime lacks");
  }
  const read = async (what: string, path: unknown): Promise<string> => {
    if (typeof path !== "string" || path.length === 0) {
      throw new InvalidArgumentError(`connect option 'tls.${what}' must be a non-empty string`);
    }
    return await readText(files, path, `cannot read tls.${what} '${path}'`);
  };
  const out = { ...rest };
  if (caFile !== undefined) out.caCerts = [...(rest.caCerts ?? []), await read("caFile", caFile)];
  if (certFile !== undefined) out.cert = await read("certFile", certFile);
  if (keyFile !== undefined) out.key = await read("keyFile", keyFile);
  return { ...options, tls: out };
}

/**
 * The nats-server configuration text the testing kit writes: listen address, JetStream store,
 * monitoring, TLS, WebSocket and auth blocks, then the caller's own text.
 * @module
 */

/** A user with a password (or, with `nkey`, a public user nkey instead). */
export interface ServerUser {
  /** User name (with `password`). */
  user?: string;
  /** Password. */
  password?: string;
  /** A public user nkey (`U...`), instead of user/password. */
  nkey?: string;
  /** Raw `permissions` block text, e.g. `{ publish: "a.>" }`. */
  permissions?: string;
}

/** Authentication for the server's global account, or separate accounts. */
export interface ServerAuth {
  /** Users with passwords or nkeys. */
  users?: ServerUser[];
  /** A single token (cannot be combined with `users`). */
  token?: string;
  /** Accounts by name, each with its users and, optionally, JetStream. */
  accounts?: Record<string, { users: ServerUser[]; jetstream?: boolean }>;
}

/** Everything that goes into a generated config file. */
export interface ConfigParts {
  /** Client port. */
  port: number;
  /** Server name. */
  name?: string;
  /** JetStream store folder (JetStream off when absent). */
  storeDir?: string;
  /** Monitoring port. */
  monitorPort?: number;
  /** TLS certificate, key and (for client certificates) CA files. */
  tls?: { cert: string; key: string; ca?: string; verify: boolean };
  /** WebSocket port. */
  wsPort?: number;
  /** Authentication. */
  auth?: ServerAuth;
  /** Extra configuration text, last. */
  extra?: string;
}

const q = (s: string) => JSON.stringify(s);

function user(u: ServerUser): string {
  const fields = u.nkey ? [`nkey: ${q(u.nkey)}`] : [`user: ${q(u.user ?? "")}`, `password: ${q(u.password ?? "")}`];
  if (u.permissions) fields.push(`permissions: ${u.permissions}`);
  return `{ ${fields.join(", ")} }`;
}

function auth(a: ServerAuth): string[] {
  const out: string[] = [];
  if (a.token !== undefined) out.push(`authorization { token: ${q(a.token)} }`);
  if (a.users?.length) out.push(`authorization { users: [ ${a.users.map(user).join(", ")} ] }`);
  if (a.accounts) {
    const accounts = Object.entries(a.accounts).map(([name, acc]) =>
      `${q(name)}: { users: [ ${acc.users.map(user).join(", ")} ]${acc.jetstream ? ", jetstream: enabled" : ""} }`
    );
    out.push(`accounts { ${accounts.join("\n")} }`);
  }
  return out;
}

/** The config file text for `parts`. */
export function configText(parts: ConfigParts): string {
  const lines = [`listen: 127.0.0.1:${parts.port}`];
  if (parts.name) lines.push(`server_name: ${q(parts.name)}`);
  if (parts.storeDir) lines.push(`jetstream { store_dir: ${q(parts.storeDir)} }`);
  if (parts.monitorPort) lines.push(`http: 127.0.0.1:${parts.monitorPort}`);
  const tls = parts.tls;
  const tlsBody = tls
    ? `cert_file: ${q(tls.cert)}, key_file: ${q(tls.key)}` + (tls.ca ? `, ca_file: ${q(tls.ca)}` : "") +
      (tls.verify ? ", verify: true" : "")
    : "";
  if (tls) lines.push(`tls { ${tlsBody} }`);
  if (parts.wsPort) {
    lines.push(`websocket { listen: 127.0.0.1:${parts.wsPort}, ${tls ? `tls { ${tlsBody} }` : "no_tls: true"} }`);
  }
  if (parts.auth) lines.push(...auth(parts.auth));
  if (parts.extra) lines.push(parts.extra);
  return lines.join("\n") + "\n";
}

/**
 * Throwaway certificates made at run time with `openssl`: a CA, a server certificate for
 * 127.0.0.1/::1/localhost, a client certificate, a server certificate for the wrong host name,
 * and an unrelated second CA (EC P-256, valid two days).
 * @module
 */
import type { Host } from "./host.ts";

/** PEM texts of every certificate and key. */
export interface TestCerts {
  /** The CA that signed the server and client certificates: hand it to the client. */
  ca: string;
  /** Server certificate (SAN: 127.0.0.1, ::1, localhost). */
  serverCert: string;
  /** Server key. */
  serverKey: string;
  /** Client certificate (clientAuth). */
  clientCert: string;
  /** Client key. */
  clientKey: string;
  /** Server certificate signed by `ca` for `wrong.example` only. */
  wrongHostCert: string;
  /** Key of `wrongHostCert`. */
  wrongHostKey: string;
  /** A CA that signed nothing here. */
  otherCa: string;
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"];
const CA_EXT = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"];

const LEAVES: [name: string, cn: string, ext: string][] = [
  ["server", "localhost", "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth"],
  ["client", "natsw-client", "extendedKeyUsage=clientAuth"],
  ["wrong", "wrong.example", "subjectAltName=DNS:wrong.example\nextendedKeyUsage=serverAuth"],
];

/** Makes a fresh set of certificates with `openssl` (which must be on PATH). */
export async function makeCertsWith(host: Host): Promise<TestCerts> {
  const dir = await host.makeTempDir("natsw-certs-");
  const openssl = async (...args: string[]) => {
    const out = await host.run("openssl", args, dir);
    if (!out.success) throw new Error(`openssl ${args[0]} failed (is openssl installed?):\n${out.stderr}`);
  };
  try {
    await openssl(
      "req",
      "-x509",
      ...EC,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-subj",
      "/CN=natsw test CA",
      ...CA_EXT,
    );
    await openssl(
      "req",
      "-x509",
      ...EC,
      "-keyout",
      "other.key",
      "-out",
      "other.pem",
      "-subj",
      "/CN=other CA",
      ...CA_EXT,
    );
    for (const [name, cn, ext] of LEAVES) {
      await host.writeTextFile(`${dir}/${name}.ext`, `${ext}\nbasicConstraints=CA:FALSE\n`);
      await openssl("req", ...EC.slice(0, 5), "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`);
      await openssl(
        "x509",
        "-req",
        ...["-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2"],
        ...["-out", `${name}.pem`, "-extfile", `${name}.ext`],
      );
    }
    const read = (f: string) => host.readTextFile(`${dir}/${f}`);
    return {
      ca: await read("ca.pem"),
      serverCert: await read("server.pem"),
      serverKey: await read("server.key"),
      clientCert: await read("client.pem"),
      clientKey: await read("client.key"),
      wrongHostCert: await read("wrong.pem"),
      wrongHostKey: await read("wrong.key"),
      otherCa: await read("other.pem"),
    };
  } finally {
    await host.remove(dir);
  }
}

/** The certificates written to a temp folder, removed on dispose. */
export interface CertFiles extends AsyncDisposable {
  /** The folder. */
  dir: string;
  /** PEM texts. */
  pem: TestCerts;
  /** Path of the file holding `name` (a key of {@link TestCerts}). */
  path(name: keyof TestCerts): string;
}

/** Writes every certificate and key of `pem` to a new temp folder (removed on dispose). */
export async function writeCertsWith(host: Host, pem: TestCerts): Promise<CertFiles> {
  const dir = await host.makeTempDir("natsw-certfiles-");
  for (const [name, text] of Object.entries(pem)) await host.writeTextFile(`${dir}/${name}.pem`, text);
  return {
    dir,
    pem,
    path: (name) => `${dir}/${name}.pem`,
    [Symbol.asyncDispose]: () => host.remove(dir),
  };
}

/**
 * Test certificates made with `openssl`: a CA, a server certificate for 127.0.0.1/localhost, a
 * client certificate, a server certificate for the wrong host name, and an unrelated second CA.
 * Generated once per test process (EC P-256, valid two days); `certFiles()` writes them to a
 * temp folder for server configs.
 */

/** PEM texts of every test certificate and key. */
export interface TestCerts {
  /** The CA that signed the server and client certificates. */
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

const SCRIPT = `
set -e
ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
openssl req -x509 $ec -keyout ca.key -out ca.pem -days 2 -subj "/CN=natsw test CA" \\
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl req -x509 $ec -keyout other_ca.key -out other_ca.pem -days 2 -subj "/CN=unrelated CA" \\
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
leaf() { # name cn extensions
  openssl req $ec -keyout "$1.key" -out "$1.csr" -subj "/CN=$2"
  printf "$3\\nbasicConstraints=CA:FALSE\\n" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$1.pem" -days 2 -extfile "$1.ext"
}
leaf server localhost "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\\nextendedKeyUsage=serverAuth"
leaf client natsw-client "extendedKeyUsage=clientAuth"
leaf wrong wrong.example "subjectAltName=DNS:wrong.example\\nextendedKeyUsage=serverAuth"
`;

let cached: Promise<TestCerts> | undefined;

async function generate(): Promise<TestCerts> {
  const dir = await Deno.makeTempDir({ prefix: "natsw-certs-" });
  try {
    const out = await new Deno.Command("bash", { args: ["-c", SCRIPT], cwd: dir, stdout: "piped", stderr: "piped" })
      .output();
    if (!out.success) throw new Error(`openssl failed:\n${new TextDecoder().decode(out.stderr)}`);
    const read = (f: string) => Deno.readTextFile(`${dir}/${f}`);
    return {
      ca: await read("ca.pem"),
      serverCert: await read("server.pem"),
      serverKey: await read("server.key"),
      clientCert: await read("client.pem"),
      clientKey: await read("client.key"),
      wrongHostCert: await read("wrong.pem"),
      wrongHostKey: await read("wrong.key"),
      otherCa: await read("other_ca.pem"),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The test certificates (generated on first use). */
export function testCerts(): Promise<TestCerts> {
  cached ??= generate();
  return cached;
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

/** Writes every certificate and key to a new temp folder. */
export async function certFiles(): Promise<CertFiles> {
  const pem = await testCerts();
  const dir = await Deno.makeTempDir({ prefix: "natsw-certfiles-" });
  for (const [name, text] of Object.entries(pem)) await Deno.writeTextFile(`${dir}/${name}.pem`, text);
  return {
    dir,
    pem,
    path: (name) => `${dir}/${name}.pem`,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

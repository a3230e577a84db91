/**
 * The test suite's certificates: the testing kit's (`testing/certs.ts`), made once per test
 * process; `certFiles()` writes them to a temp folder for server configs.
 */
import { type CertFiles, makeCerts, type TestCerts, writeCerts } from "../../testing/mod.ts";

export type { CertFiles, TestCerts };

let cached: Promise<TestCerts> | undefined;

/** The test certificates (generated on first use). */
export function testCerts(): Promise<TestCerts> {
  cached ??= makeCerts();
  return cached;
}

/** Writes every certificate and key to a new temp folder. */
export async function certFiles(): Promise<CertFiles> {
  return writeCerts(await testCerts());
}

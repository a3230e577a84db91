import assert from "node:assert/strict";
import { createAccount, createOperator, createUser, fromSeed } from "@nats-io/nkeys";
import { decodeSeed, openSeed } from "../src/auth/nkeys.ts";
import { InvalidArgumentError } from "../mod.ts";

Deno.test("nkeys - WebCrypto Ed25519 gives the same public keys and signatures as the nkeys library", async () => {
  for (const kp of [createUser(), createAccount(), createOperator()]) {
    const seed = new TextDecoder().decode(kp.getSeed());
    const signer = await openSeed(seed);
    assert.equal(signer.publicKey, kp.getPublicKey());
    for (const text of ["", "nonce-from-INFO", "x".repeat(1000)]) {
      const data = new TextEncoder().encode(text);
      assert.deepEqual(await signer.sign(data), fromSeed(kp.getSeed()).sign(data));
    }
  }
});

Deno.test("nkeys - malformed seeds are typed errors", () => {
  const seed = new TextDecoder().decode(createUser().getSeed());
  assert.throws(() => decodeSeed("not-a-seed"), InvalidArgumentError);
  assert.throws(() => decodeSeed(seed.slice(0, -1)), InvalidArgumentError);
  const flipped = seed.slice(0, 10) + (seed[10] === "A" ? "B" : "A") + seed.slice(11);
  assert.throws(() => decodeSeed(flipped), /checksum/);
  assert.throws(() => decodeSeed(createUser().getPublicKey()), InvalidArgumentError, "a public key is not a seed");
  assert.equal(decodeSeed(seed).prefix, 20 << 3);
});

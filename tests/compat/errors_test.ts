/**
 * The errors a nats.js program tests for, raised by the same failures on the same server: a
 * request nobody answers, a payload over `max_payload`, a JetStream API error.
 */
import assert from "node:assert/strict";
import * as njs from "@nats-io/nats-core";
import * as njsJs from "@nats-io/jetstream";
import * as nw from "../../mod.ts";
import * as nwJs from "../../jetstream/mod.ts";
import { compatTest } from "./harness.ts";
import { NatsServer } from "../helpers/server.ts";

/** The client's own error classes. */
function lib(name: string) {
  return name === "natsw"
    ? {
      RequestError: nw.RequestError,
      NoRespondersError: nw.NoRespondersError,
      InvalidArgument: nw.InvalidArgumentError,
    }
    : {
      RequestError: njs.RequestError,
      NoRespondersError: njs.NoRespondersError,
      InvalidArgument: njs.InvalidArgumentError,
    };
}

for (const noMux of [false, true]) {
  compatTest(
    `a request nobody answers rejects with a RequestError caused by NoRespondersError (noMux: ${noMux})`,
    async (client, srv) => {
      const { RequestError, NoRespondersError } = lib(client.name);
      const nc = await client.connect({ servers: srv.hostport });
      const err = await nc.request("nobody.home", "hi", { timeout: 5_000, noMux } as { timeout: number }).then(
        () => undefined,
        (e) => e as Error & { isNoResponders(): boolean },
      );
      await nc.close();
      assert.ok(err);
      const cause = err.cause as { subject?: string } | undefined;
      return {
        isRequestError: err instanceof RequestError,
        isNoResponders: err.isNoResponders(),
        causeIsNoResponders: cause instanceof NoRespondersError,
        causeSubject: cause?.subject,
        message: err.message,
      };
    },
  );
}

Deno.test("compat - natsw's no-responders error is also a NoRespondersError, and a bare RequestError is not one", async () => {
  await using srv = await NatsServer.start();
  const nc = await nw.connect({ servers: srv.hostport });
  const err = await nc.request("nobody.home", "", { timeout: 5_000 }).catch((e) => e);
  await nc.close();
  assert.ok(err instanceof nw.NoRespondersError);
  assert.equal(err.subject, "nobody.home");
  for (const m of [nw, njs]) {
    assert.equal(new m.RequestError("x").isNoResponders(), false);
    assert.equal(new m.RequestError("x", { cause: new m.NoRespondersError("s") }).isNoResponders(), true);
  }
});

compatTest("requestMany to a subject nobody answers throws NoRespondersError", async (client, srv) => {
  const { NoRespondersError } = lib(client.name);
  const nc = await client.connect({ servers: srv.hostport });
  let err: unknown;
  try {
    for await (const _m of await nc.requestMany("nobody.home", "", { maxWait: 2_000 })) break;
  } catch (e) {
    err = e;
  }
  await nc.close();
  return { isNoResponders: err instanceof NoRespondersError };
});

compatTest("a payload over max_payload throws InvalidArgumentError before sending", async (client, srv) => {
  const { InvalidArgument } = lib(client.name);
  const nc = await client.connect({ servers: srv.hostport });
  let err: unknown;
  try {
    nc.publish("big", new Uint8Array(2048));
  } catch (e) {
    err = e;
  }
  await nc.flush();
  await nc.close();
  return { isInvalidArgument: err instanceof InvalidArgument };
}, { config: "max_payload: 1024" });

compatTest(
  "a JetStream stream-not-found error carries err_code as code, status and the bare description",
  async (client, srv) => {
    const nc = await client.connect({ servers: srv.hostport });
    const [jetstreamManager, ApiError, codes] = client.name === "natsw"
      ? [nwJs.jetstreamManager, nwJs.JetStreamApiError, nwJs.JetStreamApiCodes]
      : [njsJs.jetstreamManager, njsJs.JetStreamApiError, njsJs.JetStreamApiCodes];
    // deno-lint-ignore no-explicit-any
    const jsm = await jetstreamManager(nc as any);
    const err = await jsm.streams.info("MISSING").then(() => undefined, (e) => e as nwJs.JetStreamApiError);
    await nc.close();
    assert.ok(err);
    return {
      isApiError: err instanceof ApiError,
      code: err.code,
      status: err.status,
      message: err.message,
      apiError: err.apiError(),
      isStreamNotFound: err.code === codes.StreamNotFound,
    };
  },
  { jetstream: true },
);

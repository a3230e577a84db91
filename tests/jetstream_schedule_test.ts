import assert from "node:assert/strict";
import { connect, headers, InvalidArgumentError, type NatsConnection } from "../mod.ts";
import {
  FeatureNotSupportedError,
  jetstream,
  JetStreamApiError,
  jetstreamManager,
  JsApiCodes,
  type JsMsg,
  scheduleHeaderValue,
  ServerFeatures,
  type StreamConfig,
} from "../jetstream/mod.ts";
import { setScheduleHeaders } from "../jetstream/schedule.ts";
import { NatsServer, oldServerBin } from "./helpers/server.ts";
import { delay, take, waitFor } from "./helpers/util.ts";

async function setup(nc: NatsConnection, cfg: Partial<StreamConfig> = {}) {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({
    name: "S",
    subjects: ["schedules.>", "orders.>", "sensors.>"],
    storage: "memory",
    allow_msg_schedules: true,
    allow_msg_ttl: true,
    ...cfg,
  });
  return { jsm, js: jetstream(nc) };
}

const isCode = (code: number) => (e: unknown) => e instanceof JetStreamApiError && e.err_code === code;

/** Messages stored on `subject` from now on (an ordered consumer), for `await using`. */
async function watch(js: ReturnType<typeof jetstream>, subject: string) {
  const c = await js.consumers.get("S", { filter_subjects: subject });
  return await c.consume({ max_messages: 10, expires: 1000 });
}

/** Reads one message at a time from `messages` (without ending it, unlike `take`). */
function reader(messages: AsyncIterable<JsMsg>): (timeout?: number) => Promise<JsMsg> {
  const it = messages[Symbol.asyncIterator]();
  return async (timeout = 5000) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no message within ${timeout} ms`)), timeout);
    });
    try {
      const r = await Promise.race([it.next(), late]);
      if (r.done) throw new Error("the consumer ended");
      return r.value;
    } finally {
      clearTimeout(timer);
    }
  };
}

Deno.test("jetstream schedule - @at a second ahead delivers the body once to the target", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc);
  await using due = await watch(js, "orders.due");
  const h = headers();
  h.set("X-Order", "42");
  const at = new Date(Date.now() + 1000);
  const ack = await js.publish("schedules.orders.42", "order 42", {
    headers: h,
    schedule: { specification: at, target: "orders.due", ttl: "5m" },
  });
  const held = await jsm.streams.getMessage("S", { seq: ack.seq });
  assert.equal(held?.header.get("Nats-Schedule"), `@at ${at.toISOString()}`);
  assert.equal(held?.header.get("Nats-Schedule-Target"), "orders.due");
  assert.equal(held?.header.get("Nats-Schedule-TTL"), "5m");
  assert.equal(held?.header.get("Nats-Rollup"), "sub", "the server stores schedules as subject rollups");
  const [m] = await take<JsMsg>(due, 1, 5000);
  assert.equal(m.subject, "orders.due");
  assert.equal(m.string(), "order 42");
  assert.equal(m.headers?.get("X-Order"), "42", "other headers are copied verbatim");
  assert.equal(m.headers?.get("Nats-Scheduler"), "schedules.orders.42");
  assert.equal(m.headers?.get("Nats-Schedule-Next"), "purge");
  assert.equal(m.headers?.get("Nats-TTL"), "5m");
  assert.equal(m.headers?.has("Nats-Schedule"), false);
  assert.ok(m.info.timestampNanos >= BigInt(at.getTime() - 100) * 1_000_000n, "not before the requested time");
  await waitFor(
    async () => (await jsm.streams.getMessage("S", { last_by_subj: "schedules.orders.42" })) === null,
    "the one-shot schedule to be removed",
  );
});

Deno.test("jetstream schedule - @every 1s repeats until cancelSchedule or a purge stops it", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc);
  await using ticks = await watch(js, "orders.tick.>");
  await js.publish("schedules.tick.a", "a", { schedule: { specification: { every: "1s" }, target: "orders.tick.a" } });
  await js.publish("schedules.tick.b", "b", { schedule: { specification: "@every 1s", target: "orders.tick.b" } });
  const read = reader(ticks);
  const fired: JsMsg[] = [];
  const by = (s: string) => fired.filter((m) => m.subject === s);
  while (by("orders.tick.a").length < 2 || by("orders.tick.b").length < 2) fired.push(await read(3000));
  const next = by("orders.tick.a")[0].headers?.get("Nats-Schedule-Next") ?? "";
  assert.ok(!Number.isNaN(Date.parse(next)), `Nats-Schedule-Next is the next fire time, got '${next}'`);

  const cancel = await js.publish("orders.cancelled", "stop a", {
    cancelSchedule: { scheduleSubject: "schedules.tick.a" },
  });
  const stored = await jsm.streams.getMessage("S", { seq: cancel.seq });
  assert.equal(stored?.header.get("Nats-Scheduler"), "schedules.tick.a");
  assert.equal(stored?.header.get("Nats-Schedule-Next"), "purge");
  await jsm.streams.purge("S", { filter: "schedules.tick.b" });
  assert.equal(await jsm.streams.getMessage("S", { last_by_subj: "schedules.tick.a" }), null);
  assert.equal(await jsm.streams.getMessage("S", { last_by_subj: "schedules.tick.b" }), null);
  await delay(300);
  const before = (await jsm.streams.info("S")).state.last_seq;
  await delay(1300);
  assert.equal((await jsm.streams.info("S")).state.last_seq, before, "no schedule fired after being stopped");
});

Deno.test("jetstream schedule - a source schedule publishes the last message of the source subject", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc);
  await js.publish("sensors.temp", "20");
  await js.publish("sensors.temp", "21");
  await using sampled = await watch(js, "sensors.sampled");
  await js.publish("schedules.sample", "fallback", {
    schedule: { specification: { every: "1s" }, source: "sensors.temp", target: "sensors.sampled" },
  });
  const read = reader(sampled);
  const first = await read(3000);
  assert.equal(first.string(), "21");
  assert.equal(first.headers?.get("Nats-Scheduler"), "schedules.sample");
  await js.publish("sensors.temp", "22");
  const second = await read(3000);
  assert.equal(second.string(), "22");
  await jsm.streams.purge("S", { filter: "schedules.sample" });
});

Deno.test("jetstream schedule - cron, predefined, time zone and rollup specs are accepted", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc);
  const cases: [string, Parameters<typeof js.publish>[2], Record<string, string>][] = [
    ["schedules.cron", { schedule: { specification: { cron: "0 30 8 * * mon-fri" }, target: "orders.report" } }, {
      "Nats-Schedule": "0 30 8 * * mon-fri",
    }],
    ["schedules.daily", {
      schedule: { specification: { predefined: "@daily" }, target: "orders.daily", timezone: "Europe/Amsterdam" },
    }, { "Nats-Schedule": "@daily", "Nats-Schedule-Time-Zone": "Europe/Amsterdam" }],
    ["schedules.hourly", { schedule: { specification: "@hourly", target: "orders.hourly", rollup: "sub" } }, {
      "Nats-Schedule": "@hourly",
      "Nats-Schedule-Rollup": "sub",
    }],
    ["schedules.at", { schedule: { specification: { at: "2099-01-02T03:04:05+02:00" }, target: "orders.later" } }, {
      "Nats-Schedule": "@at 2099-01-02T03:04:05+02:00",
    }],
  ];
  for (const [subject, opts, want] of cases) {
    const ack = await js.publish(subject, "x", opts);
    const sm = await jsm.streams.getMessage("S", { seq: ack.seq });
    for (const [k, v] of Object.entries(want)) assert.equal(sm?.header.get(k), v, `${subject} ${k}`);
  }
  await assert.rejects(
    () =>
      js.publish("schedules.bad", "x", {
        schedule: { specification: { cron: "0 0 0 * * *" }, target: "orders.x", timezone: "Mars/Olympus_Mons" },
      }),
    isCode(JsApiCodes.MessageSchedulesTimeZoneInvalid),
  );
  await assert.rejects(
    () => js.publish("schedules.bad", "x", { schedule: { specification: { every: "1s" }, target: "elsewhere" } }),
    isCode(JsApiCodes.MessageSchedulesTargetInvalid),
  );
  await assert.rejects(
    () =>
      js.publish("schedules.bad", "x", { schedule: { specification: { cron: "0 0 0 31 2 *" }, target: "orders.x" } }),
    isCode(JsApiCodes.MessageSchedulesPatternInvalid),
  );
  await js.publish("sensors.temp", "20");
  await assert.rejects(
    () => js.publish("orders.x", "x", { cancelSchedule: { scheduleSubject: "sensors.temp" } }),
    isCode(JsApiCodes.MessageSchedulesSchedulerInvalid),
    "cancelling a subject that holds a normal message",
  );
});

Deno.test("jetstream schedule - a stream without allow_msg_schedules refuses with a typed error", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc, { allow_msg_schedules: false });
  await assert.rejects(
    () => js.publish("schedules.x", "x", { schedule: { specification: { every: "1s" }, target: "orders.x" } }),
    isCode(JsApiCodes.MessageSchedulesDisabled),
  );
  await assert.rejects(
    () => js.publish("orders.x", "x", { cancelSchedule: { scheduleSubject: "schedules.x" } }),
    isCode(JsApiCodes.MessageSchedulesDisabled),
  );
  assert.equal((await jsm.streams.info("S")).state.messages, 0);
});

Deno.test("jetstream schedule - bad options throw InvalidArgumentError before sending", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc);
  const bad: Parameters<typeof js.publish>[2][] = [
    { schedule: { specification: { every: "1s" }, target: "orders.*" } },
    { schedule: { specification: { every: "1s" }, target: "" } },
    { schedule: { specification: { every: "1s" }, target: "schedules.x" } },
    { schedule: { specification: { every: "1s" }, target: "orders.x", source: "orders.x" } },
    { schedule: { specification: { every: "1s" }, target: "orders.x", source: "sensors.>" } },
    { schedule: { specification: { every: "500ms" }, target: "orders.x" } },
    { schedule: { specification: { every: "often" }, target: "orders.x" } },
    { schedule: { specification: "@every -5s", target: "orders.x" } },
    { schedule: { specification: { cron: "0 0 * * *" }, target: "orders.x" } },
    { schedule: { specification: "0 0 0 * * * *", target: "orders.x" } },
    { schedule: { specification: "@sometimes", target: "orders.x" } },
    { schedule: { specification: { at: "tomorrow" }, target: "orders.x" } },
    { schedule: { specification: new Date(NaN), target: "orders.x" } },
    { schedule: { specification: { every: "1m" }, target: "orders.x", timezone: "UTC" } },
    { schedule: { specification: { cron: "0 0 0 * * *" }, target: "orders.x", timezone: " " } },
    { schedule: { specification: { cron: "0 0 0 * * *" }, target: "orders.x", rollup: "all" as "sub" } },
    { cancelSchedule: { scheduleSubject: "schedules.x" } },
    { cancelSchedule: { scheduleSubject: "schedules.*" } },
    {
      schedule: { specification: { every: "1s" }, target: "orders.x" },
      cancelSchedule: { scheduleSubject: "schedules.y" },
    },
  ];
  for (const opts of bad) {
    await assert.rejects(() => js.publish("schedules.x", "x", opts), InvalidArgumentError, JSON.stringify(opts));
  }
  assert.equal((await jsm.streams.info("S")).state.messages, 0);
  assert.equal(scheduleHeaderValue(new Date(Date.UTC(2030, 0, 2, 3, 4, 5))), "@at 2030-01-02T03:04:05.000Z");
  assert.equal(scheduleHeaderValue({ every: "1h30m" }), "@every 1h30m");
  assert.equal(scheduleHeaderValue({ predefined: "@weekly" }), "@weekly");
});

Deno.test("jetstream schedule - @at needs 2.12, everything else 2.14", () => {
  const on212 = new ServerFeatures("2.12.1");
  const h = headers();
  setScheduleHeaders(h, "schedules.a", { specification: { at: "2030-01-01T00:00:00Z" }, target: "a" }, on212);
  assert.equal(h.get("Nats-Schedule"), "@at 2030-01-01T00:00:00Z");
  for (
    const opts of [
      { specification: { every: "1s" }, target: "a" },
      { specification: { predefined: "@hourly" as const }, target: "a" },
      { specification: new Date(), target: "a", source: "b" },
      { specification: new Date(), target: "a", rollup: "sub" as const },
    ]
  ) {
    assert.throws(
      () => setScheduleHeaders(headers(), "schedules.a", opts, on212),
      (e: unknown) => e instanceof FeatureNotSupportedError && e.required === "2.14.0",
    );
  }
});

Deno.test("jetstream schedule - a 2.9 server gives FeatureNotSupportedError before sending", async () => {
  await using srv = await NatsServer.start({ jetstream: true, bin: oldServerBin() });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "S", subjects: ["schedules.>", "orders.>"], storage: "memory" });
  const js = jetstream(nc);
  await assert.rejects(
    () => js.publish("schedules.x", "x", { schedule: { specification: new Date(), target: "orders.x" } }),
    FeatureNotSupportedError,
  );
  await assert.rejects(
    () => js.publish("orders.x", "x", { cancelSchedule: { scheduleSubject: "schedules.x" } }),
    FeatureNotSupportedError,
  );
  assert.equal((await jsm.streams.info("S")).state.messages, 0);
});

import assert from "node:assert/strict";
import { connect, headers, type Msg } from "../mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { take, waitFor } from "./helpers/util.ts";
import { MsgQueue } from "../src/queue.ts";
import { MsgImpl } from "../src/msg.ts";

/**
 * The payload of message `i`: sizes from 0 to ~20 KiB (tiny ones copied bytewise, middle ones by
 * words at every alignment, big ones kept in buffers of their own).
 */
function body(i: number): Uint8Array {
  const size = i % 50 === 0 ? 9000 + i * 17 : i % 2 === 1 ? 17 + (i % 300) : i % 7;
  const b = new Uint8Array(size);
  for (let k = 0; k < size; k++) b[k] = (i + k) & 0xff;
  return b;
}

Deno.test("subscription queue - messages queued far behind the reader keep order, contents and counters", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const pub = await connect({ servers: srv.url });
  const sub = nc.subscribe("q.>");
  await nc.flush();
  const n = 1500;
  for (let i = 0; i < n; i++) {
    const data = body(i);
    const h = headers();
    h.set("X-I", String(i));
    const withHeaders = i % 3 === 0;
    pub.publish(`q.${i % 5}`, data, {
      headers: withHeaders ? h : undefined,
      reply: i % 4 === 0 ? `r.${i}` : undefined,
    });
  }
  await pub.flush();
  await waitFor(() => sub.getReceived() === n, "all messages to arrive");
  assert.equal(sub.getPending(), n);
  assert.ok(sub.getPendingBytes() > 0);
  // take some, queue more behind them: taken messages must not change while the queue is refilled
  const early: Msg[] = await take(sub, 100);
  for (let i = n; i < n + 100; i++) pub.publish(`q.${i % 5}`, body(i));
  await pub.flush();
  await waitFor(() => sub.getReceived() === n + 100, "the second batch to arrive");
  const rest = await take(sub, n);
  const all = [...early, ...rest];
  assert.equal(sub.getPending(), 0);
  assert.equal(sub.getPendingBytes(), 0, "every byte counted in is counted out, headers included");
  assert.equal(sub.getProcessed(), n + 100);
  assert.equal(sub.getDropped(), 0);
  all.forEach((m, i) => {
    assert.equal(m.subject, `q.${i % 5}`);
    assert.deepEqual(m.data, body(i), `payload of message ${i}`);
    assert.equal(m.reply, i < n && i % 4 === 0 ? `r.${i}` : undefined);
    assert.equal(m.headers?.get("X-I"), i < n && i % 3 === 0 ? String(i) : undefined);
    assert.equal(m.sid, all[0].sid);
  });
  await pub.close();
  await nc.close();
});

Deno.test("subscription queue - packed messages keep their reply subjects and respond()", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const sub = nc.subscribe("ask");
  await nc.flush();
  const inbox = nc.subscribe("answers");
  for (let i = 0; i < 1100; i++) nc.publish("ask", String(i), { reply: "answers" });
  await nc.flush();
  await waitFor(() => sub.getReceived() === 1100, "all requests to arrive");
  for (let i = 1100; i < 1200; i++) nc.publish("ask", String(i));
  await nc.flush();
  await waitFor(() => sub.getReceived() === 1200, "the messages without reply to arrive");
  const got = await take(sub, 1200);
  assert.ok(got[1099].respond("done"));
  const [answer] = await take(inbox, 1);
  assert.equal(answer.string(), "done");
  assert.equal(got[1050].string(), "1050");
  assert.equal(got[1050].reply, "answers");
  assert.equal(got[1150].string(), "1150");
  assert.equal(got[1150].reply, undefined);
  assert.equal(got[1150].subject, "ask");
  assert.equal(got[1150].respond("x"), false);
  await nc.close();
});

Deno.test("subscription queue - MsgQueue packs pushed messages past its inline limit and ends after them", async () => {
  const responder = { publish(): void {} };
  const q = new MsgQueue(4, 1 << 20, "s");
  const taken: number[] = [];
  q.onTake = (size) => taken.push(size);
  const batch = new Uint8Array(1000);
  for (let i = 0; i < batch.length; i++) batch[i] = i & 0xff;
  for (let i = 0; i < 20; i++) {
    // views at every alignment into one shared batch, as the read loop makes them
    q.push(
      new MsgImpl(i % 2 ? "s" : "other", 7, i % 3 ? undefined : "r", responder, batch.buffer, i * 3, 40 + i, 0, 0),
    );
  }
  q.end();
  const got: Msg[] = [];
  for await (const m of q) got.push(m);
  assert.equal(got.length, 20);
  got.forEach((m, i) => {
    assert.deepEqual(m.data, batch.subarray(i * 3, i * 3 + 40 + i));
    assert.equal(m.subject, i % 2 ? "s" : "other");
    assert.equal(m.reply, i % 3 ? undefined : "r");
    assert.equal(m.sid, 7);
  });
  assert.deepEqual(taken, got.map((m) => m.data.length));
});

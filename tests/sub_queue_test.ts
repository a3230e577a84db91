import assert from "node:assert/strict";
import { connect, headers, type Msg } from "../mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { take, waitFor } from "./helpers/util.ts";

/** The payload of message `i`: sizes from 0 to ~20 KiB so small ones share arena chunks and big ones do not. */
function body(i: number): Uint8Array {
  const size = i % 50 === 0 ? 9000 + i * 17 : i % 7;
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
  const n = 600;
  for (let i = 0; i < n; i++) {
    const data = body(i);
    const h = headers();
    h.set("X-I", String(i));
    const withHeaders = i % 3 === 0;
    pub.publish(`q.${i % 5}`, data, { headers: withHeaders ? h : undefined, reply: i % 4 === 0 ? `r.${i}` : undefined });
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

Deno.test("subscription queue - a message respond()s after being queued and packed", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const sub = nc.subscribe("ask");
  await nc.flush();
  const inbox = nc.subscribe("answers");
  for (let i = 0; i < 200; i++) nc.publish("ask", String(i), { reply: "answers" });
  await nc.flush();
  await waitFor(() => sub.getReceived() === 200, "all requests to arrive");
  const got = await take(sub, 200);
  assert.ok(got[199].respond("done"));
  const [answer] = await take(inbox, 1);
  assert.equal(answer.string(), "done");
  assert.equal(got[150].string(), "150");
  await nc.close();
});

// Compiled with the npm build only (never emitted). TypeScript 7's DOM library types
// WebSocket.send() as taking ArrayBuffer-backed views only; the client sends plain Uint8Array
// views (always ArrayBuffer-backed at run time), as Deno's own library types allow.
interface WebSocket {
  send(data: Uint8Array): void;
}

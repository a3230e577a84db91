/**
 * Typed Key-Value errors. Each carries the bucket, key or revisions involved; errors caused by a
 * JetStream API answer keep it as `cause`.
 *
 * @module
 */
import { InvalidArgumentError, InvalidOperationError, NatsError, SlowConsumerError } from "../src/core.ts";

/**
 * A key is not valid (ADR-8: `[-/_=.a-zA-Z0-9]+`, no leading or trailing `.`, no `..`, not `_kv…`).
 * Raised before anything is sent. With a key codec the rules apply to the encoded key; `key` is
 * the key as given.
 *
 * @example
 * ```ts
 * import { InvalidKeyError } from "./errors.ts";
 * console.log(new InvalidKeyError("a b", "invalid character ' '").key);
 * ```
 */
export class InvalidKeyError extends InvalidArgumentError {
  /** The rejected key. */
  readonly key: string;
  /** Why it was rejected. */
  readonly reason: string;
  /** Creates the error. */
  constructor(key: string, why: string, options?: ErrorOptions) {
    super(`invalid key '${key}': ${why}`, options);
    this.key = key;
    this.reason = why;
  }
}

/**
 * A bucket name is not valid (`[a-zA-Z0-9_-]+`). Raised before anything is sent.
 *
 * @example
 * ```ts
 * import { InvalidBucketError } from "./errors.ts";
 * console.log(new InvalidBucketError("a.b").bucket);
 * ```
 */
export class InvalidBucketError extends InvalidArgumentError {
  /** The rejected name. */
  readonly bucket: string;
  /** Creates the error. */
  constructor(bucket: string, options?: ErrorOptions) {
    super(`invalid bucket name '${bucket}': only A-Z, a-z, 0-9, '_' and '-' are allowed`, options);
    this.bucket = bucket;
  }
}

/**
 * The bucket (stream `KV_<bucket>`) does not exist.
 *
 * @example
 * ```ts
 * import { BucketNotFoundError } from "./errors.ts";
 * console.log(new BucketNotFoundError("config").bucket);
 * ```
 */
export class BucketNotFoundError extends NatsError {
  /** The bucket. */
  readonly bucket: string;
  /** Creates the error. */
  constructor(bucket: string, options?: ErrorOptions) {
    super(`bucket '${bucket}' not found`, options);
    this.bucket = bucket;
  }
}

/**
 * A bucket already there with a different configuration.
 *
 * @deprecated Not raised any more: `Kvm.create()` opens an existing bucket as it is, as nats.js
 * does. Kept so that code naming it still compiles.
 *
 * @example
 * ```ts
 * import { BucketExistsError } from "./errors.ts";
 * console.log(new BucketExistsError("config").bucket);
 * ```
 */
export class BucketExistsError extends NatsError {
  /** The bucket. */
  readonly bucket: string;
  /** Creates the error. */
  constructor(bucket: string, options?: ErrorOptions) {
    super(`bucket '${bucket}' already exists with a different configuration`, options);
    this.bucket = bucket;
  }
}

/**
 * A write expected a different last revision of the key (JetStream error 10071 "wrong last
 * sequence"). `expected` is the revision the write asked for (0 = key absent), `actual` the
 * revision the server had (undefined when the server did not say).
 *
 * @example
 * ```ts
 * import { WrongRevisionError } from "./errors.ts";
 * const err = new WrongRevisionError("cfg", "k", 3, 5);
 * console.log(err.expected, err.actual); // 3 5
 * ```
 */
export class WrongRevisionError extends NatsError {
  /** The bucket. */
  readonly bucket: string;
  /** The key. */
  readonly key: string;
  /** The revision the write expected. */
  readonly expected: number;
  /** The key's current revision, when known. */
  readonly actual: number | undefined;
  /** Creates the error. */
  constructor(bucket: string, key: string, expected: number, actual?: number, options?: ErrorOptions) {
    super(
      `wrong revision for key '${key}' in bucket '${bucket}': expected ${expected}` +
        (actual === undefined ? "" : `, current is ${actual}`),
      options,
    );
    this.bucket = bucket;
    this.key = key;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * `create()` found the key holding a value (not deleted or purged).
 *
 * @example
 * ```ts
 * import { KeyExistsError, WrongRevisionError } from "./errors.ts";
 * console.log(new KeyExistsError("cfg", "k", 7) instanceof WrongRevisionError); // true
 * ```
 */
export class KeyExistsError extends WrongRevisionError {
  /** Creates the error; `actual` is the revision of the existing value. */
  constructor(bucket: string, key: string, actual?: number, options?: ErrorOptions) {
    super(bucket, key, 0, actual, options);
    this.message = `key '${key}' already exists in bucket '${bucket}'` +
      (actual === undefined ? "" : ` (revision ${actual})`);
  }
}

/**
 * A value is larger than the bucket's `maxValueSize` (JetStream error 10054).
 *
 * @example
 * ```ts
 * import { ValueTooLargeError } from "./errors.ts";
 * console.log(new ValueTooLargeError("cfg", "k", 2048, 1024).max);
 * ```
 */
export class ValueTooLargeError extends NatsError {
  /** The bucket. */
  readonly bucket: string;
  /** The key. */
  readonly key: string;
  /** Size of the rejected value in bytes. */
  readonly size: number;
  /** The bucket's limit (-1 when not known). */
  readonly max: number;
  /** Creates the error. */
  constructor(bucket: string, key: string, size: number, max: number, options?: ErrorOptions) {
    super(`value of ${size} bytes for key '${key}' exceeds the maximum of bucket '${bucket}' (${max})`, options);
    this.bucket = bucket;
    this.key = key;
    this.size = size;
    this.max = max;
  }
}

/**
 * A per-key TTL was given but the bucket has no limit markers (`markerTTL`, nats-server 2.11+).
 *
 * @example
 * ```ts
 * import { MarkersNotEnabledError } from "./errors.ts";
 * console.log(new MarkersNotEnabledError("cfg").bucket);
 * ```
 */
export class MarkersNotEnabledError extends InvalidOperationError {
  /** The bucket. */
  readonly bucket: string;
  /** Creates the error. */
  constructor(bucket: string, options?: ErrorOptions) {
    super(`bucket '${bucket}' does not allow per-key TTLs: create it with markerTTL (nats-server 2.11+)`, options);
    this.bucket = bucket;
  }
}

/**
 * A watcher ended because entries arrived faster than they were read: as many entries as the
 * connection's `maxPendingMsgs`, or values totalling its `maxPendingBytes`, were waiting. The
 * entries received before are still handed over; none after them is. Watch again with
 * `resumeFromRevision: err.revision` to go on without a gap. It is a `SlowConsumerError`.
 *
 * @example
 * ```ts
 * import { SlowWatcherError } from "./errors.ts";
 * const err = new SlowWatcherError("config", 42, 1000, 65536);
 * console.log(err.revision); // 42
 * ```
 */
export class SlowWatcherError extends SlowConsumerError {
  /** The bucket. */
  readonly bucket: string;
  /** The revision of the first entry that was not delivered. */
  readonly revision: number;
  /** Creates the error: `pending` entries with `pendingBytes` bytes of values were waiting. */
  constructor(bucket: string, revision: number, pending: number, pendingBytes: number, options?: ErrorOptions) {
    super(`watcher of bucket '${bucket}'`, pending, pendingBytes, options);
    this.message = `watcher of bucket '${bucket}' fell behind: ${pending} entries (${pendingBytes} bytes) were ` +
      `waiting to be read (the connection's maxPendingMsgs/maxPendingBytes); resume from revision ${revision}`;
    this.bucket = bucket;
    this.revision = revision;
  }
}

/**
 * Typed object store errors. Each carries the bucket (and object) it is about.
 *
 * @module
 */
import { InvalidArgumentError, NatsError } from "../src/core.ts";

/**
 * A bucket name is not 1 or more of `A-Z a-z 0-9 _ -`.
 *
 * @example
 * ```ts
 * import { InvalidBucketNameError } from "./errors.ts";
 * console.log(new InvalidBucketNameError("a.b").bucket);
 * ```
 */
export class InvalidBucketNameError extends InvalidArgumentError {
  /** The rejected name. */
  readonly bucket: string;
  /** Creates the error. */
  constructor(bucket: string, options?: ErrorOptions) {
    super(`invalid object store bucket name '${bucket}': use 1 or more of A-Z a-z 0-9 _ -`, options);
    this.bucket = bucket;
  }
}

/**
 * An object name is empty (any other string is valid).
 *
 * @example
 * ```ts
 * import { InvalidObjectNameError } from "./errors.ts";
 * console.log(new InvalidObjectNameError("").message);
 * ```
 */
export class InvalidObjectNameError extends InvalidArgumentError {
  /** The rejected name. */
  readonly objectName: string;
  /** Creates the error. */
  constructor(name: string, options?: ErrorOptions) {
    super(`invalid object name '${name}': it must not be empty`, options);
    this.objectName = name;
  }
}

/**
 * The bucket does not exist.
 *
 * @example
 * ```ts
 * import { BucketNotFoundError } from "./errors.ts";
 * console.log(new BucketNotFoundError("files").bucket);
 * ```
 */
export class BucketNotFoundError extends NatsError {
  /** The bucket. */
  readonly bucket: string;
  /** Creates the error. */
  constructor(bucket: string, options?: ErrorOptions) {
    super(`object store bucket '${bucket}' not found`, options);
    this.bucket = bucket;
  }
}

/**
 * The object does not exist (or is deleted) where the operation needs it.
 *
 * @example
 * ```ts
 * import { ObjectNotFoundError } from "./errors.ts";
 * console.log(new ObjectNotFoundError("files", "a.txt").objectName);
 * ```
 */
export class ObjectNotFoundError extends NatsError {
  /** The bucket. */
  readonly bucket: string;
  /** The object. */
  readonly objectName: string;
  /** Creates the error. */
  constructor(bucket: string, name: string, options?: ErrorOptions) {
    super(`object '${name}' not found in bucket '${bucket}'`, options);
    this.bucket = bucket;
    this.objectName = name;
  }
}

/**
 * A live object of that name exists where the operation needs a free name (rename, link).
 *
 * @example
 * ```ts
 * import { ObjectExistsError } from "./errors.ts";
 * console.log(new ObjectExistsError("files", "a.txt").objectName);
 * ```
 */
export class ObjectExistsError extends NatsError {
  /** The bucket. */
  readonly bucket: string;
  /** The object. */
  readonly objectName: string;
  /** Creates the error. */
  constructor(bucket: string, name: string, options?: ErrorOptions) {
    super(`object '${name}' already exists in bucket '${bucket}'`, options);
    this.bucket = bucket;
    this.objectName = name;
  }
}

/**
 * The bucket is sealed: nothing can be stored, changed or deleted.
 *
 * @example
 * ```ts
 * import { ObjectStoreSealedError } from "./errors.ts";
 * console.log(new ObjectStoreSealedError("files").bucket);
 * ```
 */
export class ObjectStoreSealedError extends NatsError {
  /** The bucket. */
  readonly bucket: string;
  /** Creates the error. */
  constructor(bucket: string, options?: ErrorOptions) {
    super(`object store bucket '${bucket}' is sealed`, options);
    this.bucket = bucket;
  }
}

/**
 * The content read does not hash to the object's digest (a chunk was altered or replaced).
 *
 * @example
 * ```ts
 * import { DigestMismatchError } from "./errors.ts";
 * console.log(new DigestMismatchError("files", "a.txt", "SHA-256=x", "SHA-256=y").expected);
 * ```
 */
export class DigestMismatchError extends NatsError {
  /** The bucket. */
  readonly bucket: string;
  /** The object. */
  readonly objectName: string;
  /** The digest in the object's info. */
  readonly expected: string;
  /** The digest of what was read. */
  readonly actual: string;
  /** Creates the error. */
  constructor(bucket: string, name: string, expected: string, actual: string, options?: ErrorOptions) {
    super(`object '${name}' in bucket '${bucket}' is corrupt: digest ${actual}, expected ${expected}`, options);
    this.bucket = bucket;
    this.objectName = name;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * The stored chunks do not add up to the object's info (chunks missing: truncated; or a size
 * differing from the recorded one).
 *
 * @example
 * ```ts
 * import { ObjectSizeMismatchError } from "./errors.ts";
 * const err = new ObjectSizeMismatchError("files", "a.txt", { chunks: 3, size: 10 }, { chunks: 2, size: 8 });
 * console.log(err.expected.chunks, err.actual.chunks);
 * ```
 */
export class ObjectSizeMismatchError extends NatsError {
  /** The bucket. */
  readonly bucket: string;
  /** The object. */
  readonly objectName: string;
  /** Chunks and bytes the info records. */
  readonly expected: { chunks: number; size: number };
  /** Chunks and bytes found (available, or read). */
  readonly actual: { chunks: number; size: number };
  /** Creates the error. */
  constructor(
    bucket: string,
    name: string,
    expected: { chunks: number; size: number },
    actual: { chunks: number; size: number },
    options?: ErrorOptions,
  ) {
    super(
      `object '${name}' in bucket '${bucket}' is truncated or corrupt: ${actual.chunks} chunks/${actual.size} bytes, ` +
        `expected ${expected.chunks} chunks/${expected.size} bytes`,
      options,
    );
    this.bucket = bucket;
    this.objectName = name;
    this.expected = expected;
    this.actual = actual;
  }
}

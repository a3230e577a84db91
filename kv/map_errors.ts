/**
 * Turns JetStream errors into Key-Value errors (internal).
 *
 * @module
 */
import { JetStreamApiError, JsApiCodes } from "../jetstream/mod.ts";
import { BucketNotFoundError, KeyExistsError, ValueTooLargeError, WrongRevisionError } from "./errors.ts";

/** The revision named in a "wrong last sequence: N" description. */
function actualRevision(description: string): number | undefined {
  const m = /wrong last sequence:\s*(\d+)/i.exec(description);
  return m ? Number(m[1]) : undefined;
}

/** Maps a failed write of `key`: wrong revision, key exists (expected 0), value too large. */
export function mapPublishError(
  err: unknown,
  bucket: string,
  key: string,
  expected: number | undefined,
  size: number,
  max: number,
): unknown {
  if (!(err instanceof JetStreamApiError)) return err;
  if (
    expected !== undefined &&
    (err.is(JsApiCodes.StreamWrongLastSequence) || err.is(JsApiCodes.StreamWrongLastSequenceConstant))
  ) {
    const actual = actualRevision(err.description);
    return expected === 0
      ? new KeyExistsError(bucket, key, actual, { cause: err })
      : new WrongRevisionError(bucket, key, expected, actual, { cause: err });
  }
  if (err.is(JsApiCodes.StreamMessageExceedsMaximum)) {
    return new ValueTooLargeError(bucket, key, size, max, { cause: err });
  }
  return err;
}

/** Maps "stream not found" on an API call about the bucket's stream to {@link BucketNotFoundError}. */
export function mapStreamError(err: unknown, bucket: string): unknown {
  if (err instanceof JetStreamApiError && err.is(JsApiCodes.StreamNotFound)) {
    return new BucketNotFoundError(bucket, { cause: err });
  }
  return err;
}

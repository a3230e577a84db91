/** Frame kinds and the layout of the frame and header tables written by the WASM scanner. */

/** `MSG subject sid [reply] size`. */
export const KIND_MSG = 1;
/** `HMSG subject sid [reply] hdrSize totalSize`. */
export const KIND_HMSG = 2;
/** `PING`. */
export const KIND_PING = 3;
/** `PONG`. */
export const KIND_PONG = 4;
/** `+OK`. */
export const KIND_OK = 5;
/** `-ERR 'text'`. */
export const KIND_ERR = 6;
/** `INFO {json}`. */
export const KIND_INFO = 7;

/** i32 words per frame record. */
export const FRAME_WORDS = 9;
/** i32 status words before the first record. */
export const STATUS_WORDS = 8;

/** Status word: offset just past the last complete frame. */
export const S_START = 0;
/** Status word: total bytes of the next frame when its control line is complete (0 = unknown). */
export const S_NEEDED = 1;
/** Status word: error code (0 = none, see {@link PARSE_ERRORS}). */
export const S_ERROR = 2;
/** Status word: error offset. */
export const S_ERROR_AT = 3;
/** Status word: bytes of an unfinished control line already checked (the next scan's `resume`). */
export const S_RESUME = 4;

/** Word offsets inside one frame record. */
export const F_KIND = 0;
/** Subscription id. */
export const F_SID = 1;
/** Subject (or INFO/-ERR text) offset from the read base. */
export const F_SUBJ = 2;
/** Subject length. */
export const F_SUBJ_LEN = 3;
/** Reply offset. */
export const F_REPLY = 4;
/** Reply length (0 = none). */
export const F_REPLY_LEN = 5;
/** Header block length (HMSG). */
export const F_HDR_LEN = 6;
/** Offset of headers+payload. */
export const F_DATA = 7;
/** Length of headers+payload. */
export const F_DATA_LEN = 8;

/** Reasons the scanner stops with an error, by code. */
export const PARSE_ERRORS: Record<number, string> = {
  1: "unknown protocol operation",
  2: "wrong number of arguments",
  3: "invalid number in arguments",
  4: "frame larger than the allowed payload size",
  5: "missing CRLF",
  6: "control line too long",
  7: "INFO is not a JSON object",
};

/**
 * The reference for the WASM header scanner: what `scanHeaderBlock` must report for a block.
 *
 * A block starts with `NATS/1.0` (else it is not a header block, and neither is one whose first
 * line has no LF). After it, blanks, then up to three digits are the status code and the rest of
 * the line (blanks trimmed) its description. Each further line up to the first empty one is a
 * field when it has a ':' after at least one byte: the name before it, the value after it with
 * blanks trimmed. A line's CR before its LF is not part of it. At most 4096 fields are reported.
 */

/** Offsets into the block, as the scanner's table holds them. */
export interface HeaderTable {
  code: number;
  descOff: number;
  descLen: number;
  /** [nameOff, nameLen, valueOff, valueLen] per field. */
  fields: [number, number, number, number][];
}

const MAX_FIELDS = 4096;
const PREFIX = new TextEncoder().encode("NATS/1.0");

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** The table `scanHeaderBlock(b)` must return, or undefined when `b` is not a header block. */
export function headerModel(b: Uint8Array): HeaderTable | undefined {
  if (b.length < 10 || PREFIX.some((c, i) => b[i] !== c)) return undefined;
  let lf = b.indexOf(0x0a, 8);
  if (lf < 0) return undefined;
  let le = b[lf - 1] === 0x0d ? lf - 1 : lf;
  const t: HeaderTable = { code: 0, descOff: 0, descLen: 0, fields: [] };
  let p = 8;
  while (p < le && isBlank(b[p])) p++;
  if (p < le) {
    let q = p;
    while (q < le && q - p < 3 && b[q] >= 0x30 && b[q] <= 0x39) t.code = t.code * 10 + (b[q++] - 0x30);
    while (q < le && isBlank(b[q])) q++;
    let r = le;
    while (r > q && isBlank(b[r - 1])) r--;
    t.descOff = q;
    t.descLen = r - q;
  }
  p = lf + 1;
  while (p < b.length && t.fields.length < MAX_FIELDS) {
    lf = b.indexOf(0x0a, p);
    if (lf < 0) lf = b.length;
    le = lf > p && b[lf - 1] === 0x0d ? lf - 1 : lf;
    if (le === p) break;
    const colon = b.subarray(p, le).indexOf(0x3a);
    if (colon > 0) {
      let v = p + colon + 1;
      while (v < le && isBlank(b[v])) v++;
      let ve = le;
      while (ve > v && isBlank(b[ve - 1])) ve--;
      t.fields.push([p, colon, v, ve - v]);
    }
    if (lf === b.length) break;
    p = lf + 1;
  }
  return t;
}

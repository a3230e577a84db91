// Incremental SHA-256 (FIPS 180-4) for the object store, compiled to WebAssembly by
// scripts/build_wasm.sh. One instance hashes one input at a time: the host copies up to
// INPUT_SIZE bytes to inputBase(), calls update(len), and finally final() to read the 32-byte
// digest at outputBase().
//
// Speed notes (V8 turns this into x64 with two-operand instructions, no SHA extensions):
// - block() is fully unrolled: the round constants are immediates, the message schedule lives in
//   16 locals (w0..w15, a rolling window) instead of a 64-word memory array, and the eight working
//   variables change roles from round to round instead of being shifted.
// - Each Σ/σ is written as nested rotations (rotr(rotr(rotr(x, 14) ^ x, 5) ^ x, 6) equals
//   rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25)), which needs one copy of x instead of three.
// - Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)), and b ^ c is the previous round's a ^ b, so x and y
//   take turns holding it: one AND and one XOR per round instead of four operations.
// - T1 adds h, K and W first so that only one addition waits for Σ1(e).

// Bytes of an incomplete block carried over to the next update.
const PENDING: usize = memory.data(64);
// The digest written by final().
const OUT: usize = memory.data(32);
// The input window the host writes to (page 1 onwards; memory is sized for it by the build).
const INPUT: usize = 65536;
const INPUT_SIZE: usize = 262144;

let h0: u32 = 0;
let h1: u32 = 0;
let h2: u32 = 0;
let h3: u32 = 0;
let h4: u32 = 0;
let h5: u32 = 0;
let h6: u32 = 0;
let h7: u32 = 0;
let total: u64 = 0;
let pendingLen: usize = 0;

/** Where the host writes input. */
export function inputBase(): usize {
  return INPUT;
}

/** Most bytes one update() call takes. */
export function inputSize(): usize {
  return INPUT_SIZE;
}

/** Where final() writes the digest. */
export function outputBase(): usize {
  return OUT;
}

/** Starts a new hash. */
export function reset(): void {
  h0 = 0x6a09e667;
  h1 = 0xbb67ae85;
  h2 = 0x3c6ef372;
  h3 = 0xa54ff53a;
  h4 = 0x510e527f;
  h5 = 0x9b05688c;
  h6 = 0x1f83d9ab;
  h7 = 0x5be0cd19;
  total = 0;
  pendingLen = 0;
}

// Σ0, Σ1, σ0, σ1 of FIPS 180-4 §4.1.2, as nested rotations.
// @ts-ignore: decorator
@inline function S0(x: u32): u32 {
  return rotr<u32>(rotr<u32>(rotr<u32>(x, 9) ^ x, 11) ^ x, 2);
}

// @ts-ignore: decorator
@inline function S1(x: u32): u32 {
  return rotr<u32>(rotr<u32>(rotr<u32>(x, 14) ^ x, 5) ^ x, 6);
}

// @ts-ignore: decorator
@inline function s0(x: u32): u32 {
  return rotr<u32>(rotr<u32>(x, 11) ^ x, 7) ^ (x >>> 3);
}

// @ts-ignore: decorator
@inline function s1(x: u32): u32 {
  return rotr<u32>(rotr<u32>(x, 2) ^ x, 17) ^ (x >>> 10);
}

// Compresses the 64-byte block at p into the state. Each round line is
// T1 = h + K[t] + W[t] + Ch(e, f, g) + Σ1(e); d += T1; h = T1 + Maj(a, b, c) + Σ0(a),
// with the letters renamed instead of shifted; from round 16 on, W[t] replaces W[t - 16] in place.
function block(p: usize): void {
  let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
  let x: u32 = 0;
  let y = b ^ c;
  let w0 = bswap<u32>(load<u32>(p, 0));
  let w1 = bswap<u32>(load<u32>(p, 4));
  let w2 = bswap<u32>(load<u32>(p, 8));
  let w3 = bswap<u32>(load<u32>(p, 12));
  let w4 = bswap<u32>(load<u32>(p, 16));
  let w5 = bswap<u32>(load<u32>(p, 20));
  let w6 = bswap<u32>(load<u32>(p, 24));
  let w7 = bswap<u32>(load<u32>(p, 28));
  let w8 = bswap<u32>(load<u32>(p, 32));
  let w9 = bswap<u32>(load<u32>(p, 36));
  let w10 = bswap<u32>(load<u32>(p, 40));
  let w11 = bswap<u32>(load<u32>(p, 44));
  let w12 = bswap<u32>(load<u32>(p, 48));
  let w13 = bswap<u32>(load<u32>(p, 52));
  let w14 = bswap<u32>(load<u32>(p, 56));
  let w15 = bswap<u32>(load<u32>(p, 60));
  h = h + 0x428a2f98 + w0 + (g ^ (e & (f ^ g))) + S1(e); d += h; x = a ^ b; h = h + (b ^ (x & y)) + S0(a);
  g = g + 0x71374491 + w1 + (f ^ (d & (e ^ f))) + S1(d); c += g; y = h ^ a; g = g + (a ^ (y & x)) + S0(h);
  f = f + 0xb5c0fbcf + w2 + (e ^ (c & (d ^ e))) + S1(c); b += f; x = g ^ h; f = f + (h ^ (x & y)) + S0(g);
  e = e + 0xe9b5dba5 + w3 + (d ^ (b & (c ^ d))) + S1(b); a += e; y = f ^ g; e = e + (g ^ (y & x)) + S0(f);
  d = d + 0x3956c25b + w4 + (c ^ (a & (b ^ c))) + S1(a); h += d; x = e ^ f; d = d + (f ^ (x & y)) + S0(e);
  c = c + 0x59f111f1 + w5 + (b ^ (h & (a ^ b))) + S1(h); g += c; y = d ^ e; c = c + (e ^ (y & x)) + S0(d);
  b = b + 0x923f82a4 + w6 + (a ^ (g & (h ^ a))) + S1(g); f += b; x = c ^ d; b = b + (d ^ (x & y)) + S0(c);
  a = a + 0xab1c5ed5 + w7 + (h ^ (f & (g ^ h))) + S1(f); e += a; y = b ^ c; a = a + (c ^ (y & x)) + S0(b);
  h = h + 0xd807aa98 + w8 + (g ^ (e & (f ^ g))) + S1(e); d += h; x = a ^ b; h = h + (b ^ (x & y)) + S0(a);
  g = g + 0x12835b01 + w9 + (f ^ (d & (e ^ f))) + S1(d); c += g; y = h ^ a; g = g + (a ^ (y & x)) + S0(h);
  f = f + 0x243185be + w10 + (e ^ (c & (d ^ e))) + S1(c); b += f; x = g ^ h; f = f + (h ^ (x & y)) + S0(g);
  e = e + 0x550c7dc3 + w11 + (d ^ (b & (c ^ d))) + S1(b); a += e; y = f ^ g; e = e + (g ^ (y & x)) + S0(f);
  d = d + 0x72be5d74 + w12 + (c ^ (a & (b ^ c))) + S1(a); h += d; x = e ^ f; d = d + (f ^ (x & y)) + S0(e);
  c = c + 0x80deb1fe + w13 + (b ^ (h & (a ^ b))) + S1(h); g += c; y = d ^ e; c = c + (e ^ (y & x)) + S0(d);
  b = b + 0x9bdc06a7 + w14 + (a ^ (g & (h ^ a))) + S1(g); f += b; x = c ^ d; b = b + (d ^ (x & y)) + S0(c);
  a = a + 0xc19bf174 + w15 + (h ^ (f & (g ^ h))) + S1(f); e += a; y = b ^ c; a = a + (c ^ (y & x)) + S0(b);
  w0 += s1(w14) + w9 + s0(w1);
  h = h + 0xe49b69c1 + w0 + (g ^ (e & (f ^ g))) + S1(e); d += h; x = a ^ b; h = h + (b ^ (x & y)) + S0(a);
  w1 += s1(w15) + w10 + s0(w2);
  g = g + 0xefbe4786 + w1 + (f ^ (d & (e ^ f))) + S1(d); c += g; y = h ^ a; g = g + (a ^ (y & x)) + S0(h);
  w2 += s1(w0) + w11 + s0(w3);
  f = f + 0x0fc19dc6 + w2 + (e ^ (c & (d ^ e))) + S1(c); b += f; x = g ^ h; f = f + (h ^ (x & y)) + S0(g);
  w3 += s1(w1) + w12 + s0(w4);
  e = e + 0x240ca1cc + w3 + (d ^ (b & (c ^ d))) + S1(b); a += e; y = f ^ g; e = e + (g ^ (y & x)) + S0(f);
  w4 += s1(w2) + w13 + s0(w5);
  d = d + 0x2de92c6f + w4 + (c ^ (a & (b ^ c))) + S1(a); h += d; x = e ^ f; d = d + (f ^ (x & y)) + S0(e);
  w5 += s1(w3) + w14 + s0(w6);
  c = c + 0x4a7484aa + w5 + (b ^ (h & (a ^ b))) + S1(h); g += c; y = d ^ e; c = c + (e ^ (y & x)) + S0(d);
  w6 += s1(w4) + w15 + s0(w7);
  b = b + 0x5cb0a9dc + w6 + (a ^ (g & (h ^ a))) + S1(g); f += b; x = c ^ d; b = b + (d ^ (x & y)) + S0(c);
  w7 += s1(w5) + w0 + s0(w8);
  a = a + 0x76f988da + w7 + (h ^ (f & (g ^ h))) + S1(f); e += a; y = b ^ c; a = a + (c ^ (y & x)) + S0(b);
  w8 += s1(w6) + w1 + s0(w9);
  h = h + 0x983e5152 + w8 + (g ^ (e & (f ^ g))) + S1(e); d += h; x = a ^ b; h = h + (b ^ (x & y)) + S0(a);
  w9 += s1(w7) + w2 + s0(w10);
  g = g + 0xa831c66d + w9 + (f ^ (d & (e ^ f))) + S1(d); c += g; y = h ^ a; g = g + (a ^ (y & x)) + S0(h);
  w10 += s1(w8) + w3 + s0(w11);
  f = f + 0xb00327c8 + w10 + (e ^ (c & (d ^ e))) + S1(c); b += f; x = g ^ h; f = f + (h ^ (x & y)) + S0(g);
  w11 += s1(w9) + w4 + s0(w12);
  e = e + 0xbf597fc7 + w11 + (d ^ (b & (c ^ d))) + S1(b); a += e; y = f ^ g; e = e + (g ^ (y & x)) + S0(f);
  w12 += s1(w10) + w5 + s0(w13);
  d = d + 0xc6e00bf3 + w12 + (c ^ (a & (b ^ c))) + S1(a); h += d; x = e ^ f; d = d + (f ^ (x & y)) + S0(e);
  w13 += s1(w11) + w6 + s0(w14);
  c = c + 0xd5a79147 + w13 + (b ^ (h & (a ^ b))) + S1(h); g += c; y = d ^ e; c = c + (e ^ (y & x)) + S0(d);
  w14 += s1(w12) + w7 + s0(w15);
  b = b + 0x06ca6351 + w14 + (a ^ (g & (h ^ a))) + S1(g); f += b; x = c ^ d; b = b + (d ^ (x & y)) + S0(c);
  w15 += s1(w13) + w8 + s0(w0);
  a = a + 0x14292967 + w15 + (h ^ (f & (g ^ h))) + S1(f); e += a; y = b ^ c; a = a + (c ^ (y & x)) + S0(b);
  w0 += s1(w14) + w9 + s0(w1);
  h = h + 0x27b70a85 + w0 + (g ^ (e & (f ^ g))) + S1(e); d += h; x = a ^ b; h = h + (b ^ (x & y)) + S0(a);
  w1 += s1(w15) + w10 + s0(w2);
  g = g + 0x2e1b2138 + w1 + (f ^ (d & (e ^ f))) + S1(d); c += g; y = h ^ a; g = g + (a ^ (y & x)) + S0(h);
  w2 += s1(w0) + w11 + s0(w3);
  f = f + 0x4d2c6dfc + w2 + (e ^ (c & (d ^ e))) + S1(c); b += f; x = g ^ h; f = f + (h ^ (x & y)) + S0(g);
  w3 += s1(w1) + w12 + s0(w4);
  e = e + 0x53380d13 + w3 + (d ^ (b & (c ^ d))) + S1(b); a += e; y = f ^ g; e = e + (g ^ (y & x)) + S0(f);
  w4 += s1(w2) + w13 + s0(w5);
  d = d + 0x650a7354 + w4 + (c ^ (a & (b ^ c))) + S1(a); h += d; x = e ^ f; d = d + (f ^ (x & y)) + S0(e);
  w5 += s1(w3) + w14 + s0(w6);
  c = c + 0x766a0abb + w5 + (b ^ (h & (a ^ b))) + S1(h); g += c; y = d ^ e; c = c + (e ^ (y & x)) + S0(d);
  w6 += s1(w4) + w15 + s0(w7);
  b = b + 0x81c2c92e + w6 + (a ^ (g & (h ^ a))) + S1(g); f += b; x = c ^ d; b = b + (d ^ (x & y)) + S0(c);
  w7 += s1(w5) + w0 + s0(w8);
  a = a + 0x92722c85 + w7 + (h ^ (f & (g ^ h))) + S1(f); e += a; y = b ^ c; a = a + (c ^ (y & x)) + S0(b);
  w8 += s1(w6) + w1 + s0(w9);
  h = h + 0xa2bfe8a1 + w8 + (g ^ (e & (f ^ g))) + S1(e); d += h; x = a ^ b; h = h + (b ^ (x & y)) + S0(a);
  w9 += s1(w7) + w2 + s0(w10);
  g = g + 0xa81a664b + w9 + (f ^ (d & (e ^ f))) + S1(d); c += g; y = h ^ a; g = g + (a ^ (y & x)) + S0(h);
  w10 += s1(w8) + w3 + s0(w11);
  f = f + 0xc24b8b70 + w10 + (e ^ (c & (d ^ e))) + S1(c); b += f; x = g ^ h; f = f + (h ^ (x & y)) + S0(g);
  w11 += s1(w9) + w4 + s0(w12);
  e = e + 0xc76c51a3 + w11 + (d ^ (b & (c ^ d))) + S1(b); a += e; y = f ^ g; e = e + (g ^ (y & x)) + S0(f);
  w12 += s1(w10) + w5 + s0(w13);
  d = d + 0xd192e819 + w12 + (c ^ (a & (b ^ c))) + S1(a); h += d; x = e ^ f; d = d + (f ^ (x & y)) + S0(e);
  w13 += s1(w11) + w6 + s0(w14);
  c = c + 0xd6990624 + w13 + (b ^ (h & (a ^ b))) + S1(h); g += c; y = d ^ e; c = c + (e ^ (y & x)) + S0(d);
  w14 += s1(w12) + w7 + s0(w15);
  b = b + 0xf40e3585 + w14 + (a ^ (g & (h ^ a))) + S1(g); f += b; x = c ^ d; b = b + (d ^ (x & y)) + S0(c);
  w15 += s1(w13) + w8 + s0(w0);
  a = a + 0x106aa070 + w15 + (h ^ (f & (g ^ h))) + S1(f); e += a; y = b ^ c; a = a + (c ^ (y & x)) + S0(b);
  w0 += s1(w14) + w9 + s0(w1);
  h = h + 0x19a4c116 + w0 + (g ^ (e & (f ^ g))) + S1(e); d += h; x = a ^ b; h = h + (b ^ (x & y)) + S0(a);
  w1 += s1(w15) + w10 + s0(w2);
  g = g + 0x1e376c08 + w1 + (f ^ (d & (e ^ f))) + S1(d); c += g; y = h ^ a; g = g + (a ^ (y & x)) + S0(h);
  w2 += s1(w0) + w11 + s0(w3);
  f = f + 0x2748774c + w2 + (e ^ (c & (d ^ e))) + S1(c); b += f; x = g ^ h; f = f + (h ^ (x & y)) + S0(g);
  w3 += s1(w1) + w12 + s0(w4);
  e = e + 0x34b0bcb5 + w3 + (d ^ (b & (c ^ d))) + S1(b); a += e; y = f ^ g; e = e + (g ^ (y & x)) + S0(f);
  w4 += s1(w2) + w13 + s0(w5);
  d = d + 0x391c0cb3 + w4 + (c ^ (a & (b ^ c))) + S1(a); h += d; x = e ^ f; d = d + (f ^ (x & y)) + S0(e);
  w5 += s1(w3) + w14 + s0(w6);
  c = c + 0x4ed8aa4a + w5 + (b ^ (h & (a ^ b))) + S1(h); g += c; y = d ^ e; c = c + (e ^ (y & x)) + S0(d);
  w6 += s1(w4) + w15 + s0(w7);
  b = b + 0x5b9cca4f + w6 + (a ^ (g & (h ^ a))) + S1(g); f += b; x = c ^ d; b = b + (d ^ (x & y)) + S0(c);
  w7 += s1(w5) + w0 + s0(w8);
  a = a + 0x682e6ff3 + w7 + (h ^ (f & (g ^ h))) + S1(f); e += a; y = b ^ c; a = a + (c ^ (y & x)) + S0(b);
  w8 += s1(w6) + w1 + s0(w9);
  h = h + 0x748f82ee + w8 + (g ^ (e & (f ^ g))) + S1(e); d += h; x = a ^ b; h = h + (b ^ (x & y)) + S0(a);
  w9 += s1(w7) + w2 + s0(w10);
  g = g + 0x78a5636f + w9 + (f ^ (d & (e ^ f))) + S1(d); c += g; y = h ^ a; g = g + (a ^ (y & x)) + S0(h);
  w10 += s1(w8) + w3 + s0(w11);
  f = f + 0x84c87814 + w10 + (e ^ (c & (d ^ e))) + S1(c); b += f; x = g ^ h; f = f + (h ^ (x & y)) + S0(g);
  w11 += s1(w9) + w4 + s0(w12);
  e = e + 0x8cc70208 + w11 + (d ^ (b & (c ^ d))) + S1(b); a += e; y = f ^ g; e = e + (g ^ (y & x)) + S0(f);
  w12 += s1(w10) + w5 + s0(w13);
  d = d + 0x90befffa + w12 + (c ^ (a & (b ^ c))) + S1(a); h += d; x = e ^ f; d = d + (f ^ (x & y)) + S0(e);
  w13 += s1(w11) + w6 + s0(w14);
  c = c + 0xa4506ceb + w13 + (b ^ (h & (a ^ b))) + S1(h); g += c; y = d ^ e; c = c + (e ^ (y & x)) + S0(d);
  w14 += s1(w12) + w7 + s0(w15);
  b = b + 0xbef9a3f7 + w14 + (a ^ (g & (h ^ a))) + S1(g); f += b; x = c ^ d; b = b + (d ^ (x & y)) + S0(c);
  w15 += s1(w13) + w8 + s0(w0);
  a = a + 0xc67178f2 + w15 + (h ^ (f & (g ^ h))) + S1(f); e += a; y = b ^ c; a = a + (c ^ (y & x)) + S0(b);
  h0 += a;
  h1 += b;
  h2 += c;
  h3 += d;
  h4 += e;
  h5 += f;
  h6 += g;
  h7 += h;
}
/** Hashes `len` bytes (at most inputSize()) from inputBase(). */
export function update(len: usize): void {
  total += <u64> len;
  let p = INPUT;
  const end = INPUT + len;
  if (pendingLen > 0) {
    const take = min<usize>(64 - pendingLen, len);
    memory.copy(PENDING + pendingLen, p, take);
    pendingLen += take;
    p += take;
    if (pendingLen < 64) return;
    block(PENDING);
    pendingLen = 0;
  }
  while (p + 64 <= end) {
    block(p);
    p += 64;
  }
  if (p < end) {
    memory.copy(PENDING, p, end - p);
    pendingLen = end - p;
  }
}

/** Pads, compresses the last block(s) and writes the 32-byte digest to outputBase(). */
export function final(): void {
  const bits = total << 3;
  store<u8>(PENDING + pendingLen, 0x80);
  pendingLen++;
  if (pendingLen > 56) {
    memory.fill(PENDING + pendingLen, 0, 64 - pendingLen);
    block(PENDING);
    pendingLen = 0;
  }
  memory.fill(PENDING + pendingLen, 0, 56 - pendingLen);
  store<u64>(PENDING + 56, bswap<u64>(bits));
  block(PENDING);
  store<u32>(OUT, bswap<u32>(h0));
  store<u32>(OUT + 4, bswap<u32>(h1));
  store<u32>(OUT + 8, bswap<u32>(h2));
  store<u32>(OUT + 12, bswap<u32>(h3));
  store<u32>(OUT + 16, bswap<u32>(h4));
  store<u32>(OUT + 20, bswap<u32>(h5));
  store<u32>(OUT + 24, bswap<u32>(h6));
  store<u32>(OUT + 28, bswap<u32>(h7));
  pendingLen = 0;
}

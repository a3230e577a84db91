// Incremental SHA-256 (FIPS 180-4) for the object store, compiled to WebAssembly by
// scripts/build_sha256_wasm.sh. One instance hashes one input at a time: the host copies up to
// INPUT_SIZE bytes to inputBase(), calls update(len), and finally final() to read the 32-byte
// digest at outputBase().

// Round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K: usize = memory.data<u32>([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);
// The message schedule of the block being compressed.
const W: usize = memory.data(256);
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

function S0(x: u32): u32 {
  return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22);
}

function S1(x: u32): u32 {
  return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25);
}

// Compresses the 64-byte block at p into the state.
function block(p: usize): void {
  for (let i: usize = 0; i < 64; i += 4) {
    store<u32>(W + i, bswap<u32>(load<u32>(p + i)));
  }
  for (let i: usize = 64; i < 256; i += 4) {
    const w15 = load<u32>(W + i - 60);
    const w2 = load<u32>(W + i - 8);
    const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10);
    store<u32>(W + i, load<u32>(W + i - 64) + s0 + load<u32>(W + i - 28) + s1);
  }
  let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
  // Eight rounds per pass; the working variables rotate roles instead of being shifted.
  for (let i: usize = 0; i < 256; i += 32) {
    h += S1(e) + (g ^ (e & (f ^ g))) + load<u32>(K + i) + load<u32>(W + i);
    d += h;
    h += S0(a) + ((a & b) | (c & (a | b)));
    g += S1(d) + (f ^ (d & (e ^ f))) + load<u32>(K + i + 4) + load<u32>(W + i + 4);
    c += g;
    g += S0(h) + ((h & a) | (b & (h | a)));
    f += S1(c) + (e ^ (c & (d ^ e))) + load<u32>(K + i + 8) + load<u32>(W + i + 8);
    b += f;
    f += S0(g) + ((g & h) | (a & (g | h)));
    e += S1(b) + (d ^ (b & (c ^ d))) + load<u32>(K + i + 12) + load<u32>(W + i + 12);
    a += e;
    e += S0(f) + ((f & g) | (h & (f | g)));
    d += S1(a) + (c ^ (a & (b ^ c))) + load<u32>(K + i + 16) + load<u32>(W + i + 16);
    h += d;
    d += S0(e) + ((e & f) | (g & (e | f)));
    c += S1(h) + (b ^ (h & (a ^ b))) + load<u32>(K + i + 20) + load<u32>(W + i + 20);
    g += c;
    c += S0(d) + ((d & e) | (f & (d | e)));
    b += S1(g) + (a ^ (g & (h ^ a))) + load<u32>(K + i + 24) + load<u32>(W + i + 24);
    f += b;
    b += S0(c) + ((c & d) | (e & (c | d)));
    a += S1(f) + (h ^ (f & (g ^ h))) + load<u32>(K + i + 28) + load<u32>(W + i + 28);
    e += a;
    a += S0(b) + ((b & c) | (d & (b | c)));
  }
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

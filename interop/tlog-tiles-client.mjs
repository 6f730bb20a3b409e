#!/usr/bin/env node
// tlog-tiles-client.mjs: an independent verifier for a C2SP tlog-tiles log.
//
// Written from the public specifications alone, not from Warden's Java code:
//   - c2sp.org/tlog-tiles       (checkpoint, hash tiles, partial tiles, entry bundles)
//   - c2sp.org/tlog-checkpoint  (note text: origin, tree size, root hash)
//   - c2sp.org/signed-note      (note layout, key IDs, Ed25519 signatures)
//   - RFC 9162 §2.1 (= RFC 6962 §2.1) Merkle Tree Hash
//
// Usage:
//   node tlog-tiles-client.mjs --url <prefix> --vkey <verifier key text | @file>
//
// It fetches the checkpoint, every hash tile at every level and every entry bundle, and
// checks that all of them agree with each other and with the signed root. On success it
// prints one JSON line to stdout and exits 0; on any failure it prints one line to stderr
// naming what failed and where, and exits 1.
//
// Built-in modules only (Node.js >= 20): node:crypto, node:fs, node:util, global fetch.

import { createHash, createPublicKey, hash as cryptoHash, verify as cryptoVerify } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HASH_SIZE = 32;
const TILE_WIDTH = 256; // tlog-tiles: full tiles are exactly 256 hashes wide
const FETCH_TIMEOUT_MS = 60_000;
const CONCURRENCY = 8;
const MAX_SIGNATURE_LINES = 100; // signed-note: MUST accept at least 16
const MAX_CHECKPOINT_BYTES = 1 << 20;
const ED25519_TYPE = 0x01; // signed-note "Signature types"
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A verification failure: what failed, and where (a URL or an input name). */
class VerifyError extends Error {
  constructor(message, where) {
    super(message);
    this.where = where;
  }
}

// ---------------------------------------------------------------------------------------
// RFC 9162 §2.1.1 hashing

// crypto.hash (Node >= 20.12) is a one-shot digest, much faster than createHash for the
// millions of small inputs here; fall back to createHash on older runtimes.
const digest = typeof cryptoHash === 'function'
  ? (data) => cryptoHash('sha256', data, 'buffer')
  : (data) => createHash('sha256').update(data).digest();
const sha256 = (...parts) => digest(parts.length === 1 ? parts[0] : Buffer.concat(parts));
const leafHash = (entry) => sha256(Buffer.of(0x00), entry);
const nodeScratch = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeScratch[0] = 0x01;
function nodeHash(left, right) {
  left.copy(nodeScratch, 1);
  right.copy(nodeScratch, 1 + HASH_SIZE);
  return digest(nodeScratch); // synchronous, so the shared scratch buffer is safe
}
const EMPTY_ROOT = sha256(Buffer.alloc(0));

/** MTH of a list whose length is a power of two: pairwise reduction, level by level. */
function perfectSubtreeHash(hashes) {
  let level = hashes;
  if (level.length === 0 || (level.length & (level.length - 1)) !== 0) {
    throw new Error(`internal: perfectSubtreeHash of ${level.length} hashes`);
  }
  while (level.length > 1) {
    const next = new Array(level.length / 2);
    for (let i = 0; i < next.length; i++) next[i] = nodeHash(level[2 * i], level[2 * i + 1]);
    level = next;
  }
  return level[0];
}

/**
 * The plain RFC 9162 §2.1.1 definition, over leaf hashes D[lo:hi]:
 *   MTH({d0}) = leaf hash;  MTH(D[n]) = H(0x01 || MTH(D[0:k]) || MTH(D[k:n]))
 * with k the largest power of two strictly smaller than n.
 */
function plainMTH(leafHashes, lo = 0, hi = leafHashes.length) {
  const n = hi - lo;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leafHashes[lo];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return nodeHash(plainMTH(leafHashes, lo, lo + k), plainMTH(leafHashes, lo + k, hi));
}

// ---------------------------------------------------------------------------------------
// Encodings

/** Strict standard base64 (RFC 4648 §4): canonical padding, no whitespace. */
function decodeBase64(str, what, where) {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(str)) {
    throw new VerifyError(`${what} is not valid base64`, where);
  }
  const bytes = Buffer.from(str, 'base64');
  if (bytes.toString('base64') !== str) {
    throw new VerifyError(`${what} is not canonical base64`, where);
  }
  return bytes;
}

/**
 * tlog-tiles: the tile index N is written as zero-padded 3-digit path elements, all but the
 * last prefixed with "x". 1234067 -> "x001/x234/067"; 5 -> "005".
 */
export function encodeTileIndex(n) {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`internal: bad tile index ${n}`);
  const groups = [];
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? 'x' + g : g)).join('/');
}

/** tlog-tiles: <L>/<N>[.p/<W>], W present only for partial tiles (1..255). */
export function tilePath(level, index, width) {
  const suffix = width === TILE_WIDTH ? '' : `.p/${width}`;
  return `tile/${level}/${encodeTileIndex(index)}${suffix}`;
}
export function bundlePath(index, width) {
  const suffix = width === TILE_WIDTH ? '' : `.p/${width}`;
  return `tile/entries/${encodeTileIndex(index)}${suffix}`;
}

// ---------------------------------------------------------------------------------------
// signed-note verifier key: <name>+<hex key ID>+<base64(0x01 || 32-byte public key)>

function parseVerifierKey(text) {
  const where = '--vkey';
  // The name cannot contain '+', but the base64 part can: split on the first two only.
  const p1 = text.indexOf('+');
  const p2 = p1 < 0 ? -1 : text.indexOf('+', p1 + 1);
  if (p1 < 0 || p2 < 0) throw new VerifyError('verifier key is not <name>+<keyID>+<key>', where);
  const name = text.slice(0, p1);
  const idHex = text.slice(p1 + 1, p2);
  const keyB64 = text.slice(p2 + 1);
  if (name.length === 0 || /[\s+]/u.test(name)) {
    throw new VerifyError('verifier key name is empty or contains a space or "+"', where);
  }
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) {
    throw new VerifyError('verifier key ID is not 8 hex digits', where);
  }
  const keyBytes = decodeBase64(keyB64, 'verifier public key', where);
  if (keyBytes.length !== 33 || keyBytes[0] !== ED25519_TYPE) {
    throw new VerifyError('verifier key is not an Ed25519 key (0x01 || 32 bytes)', where);
  }
  const pub = keyBytes.subarray(1);
  // signed-note §Ed25519 signatures: key ID = SHA-256(name || 0x0A || 0x01 || pub)[:4]
  const keyId = sha256(Buffer.from(name, 'utf8'), Buffer.from([0x0a, ED25519_TYPE]), pub).subarray(0, 4);
  if (!keyId.equals(Buffer.from(idHex, 'hex'))) {
    throw new VerifyError(
      `verifier key ID ${idHex} does not match the key (computed ${keyId.toString('hex')})`,
      where,
    );
  }
  const publicKey = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, pub]),
    format: 'der',
    type: 'spki',
  });
  return { name, keyId, publicKey };
}

// ---------------------------------------------------------------------------------------
// signed-note + tlog-checkpoint

function verifyNote(bytes, vkey, where) {
  let str;
  try {
    str = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new VerifyError('checkpoint is not valid UTF-8', where);
  }
  // signed-note §Format: no ASCII control characters other than newline.
  if (/[\x00-\x09\x0b-\x1f]/.test(str)) {
    throw new VerifyError('checkpoint contains a control character other than newline', where);
  }
  // The text ends at the last empty line; it includes its final newline.
  const sep = bytes.lastIndexOf(Buffer.from('\n\n'));
  if (sep < 0) throw new VerifyError('checkpoint has no blank line before signatures', where);
  const text = bytes.subarray(0, sep + 1);
  const sigBlock = bytes.subarray(sep + 2).toString('utf8');
  if (sigBlock.length === 0 || !sigBlock.endsWith('\n')) {
    throw new VerifyError('checkpoint signature block is empty or lacks a final newline', where);
  }
  const lines = sigBlock.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURE_LINES) {
    throw new VerifyError(`checkpoint has more than ${MAX_SIGNATURE_LINES} signature lines`, where);
  }
  let verified = 0;
  for (const [i, line] of lines.entries()) {
    const m = /^\u2014 ([^ ]+) ([^ ]+)$/u.exec(line);
    if (!m) throw new VerifyError(`malformed signature line ${i + 1}`, where);
    const [, name, b64] = m;
    const blob = decodeBase64(b64, `signature line ${i + 1}`, where);
    if (blob.length < 5) throw new VerifyError(`signature line ${i + 1} is too short`, where);
    // Unknown (name, key ID) pairs are ignored, even if one of the two matches.
    if (name !== vkey.name || !blob.subarray(0, 4).equals(vkey.keyId)) continue;
    const sig = blob.subarray(4);
    let ok = false;
    if (sig.length === 64) {
      try {
        ok = cryptoVerify(null, text, vkey.publicKey, sig);
      } catch {
        ok = false;
      }
    }
    // A known key's signature that fails: reject the whole note.
    if (!ok) throw new VerifyError(`Ed25519 signature by ${name} does not verify`, where);
    verified++;
  }
  if (verified === 0) {
    throw new VerifyError(`no signature by the trusted key ${vkey.name} found`, where);
  }
  return text.toString('utf8');
}

function parseCheckpoint(text, where) {
  // tlog-checkpoint §Note text: origin, size, base64 root, then optional non-empty lines.
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new VerifyError('checkpoint has fewer than three lines', where);
  if (lines.some((l) => l.length === 0)) throw new VerifyError('checkpoint has an empty line', where);
  const [origin, sizeStr, rootStr] = lines;
  if (!/^(?:0|[1-9][0-9]*)$/.test(sizeStr)) {
    throw new VerifyError(`checkpoint tree size ${JSON.stringify(sizeStr)} is not canonical decimal`, where);
  }
  const size = Number(sizeStr);
  if (!Number.isSafeInteger(size)) throw new VerifyError('checkpoint tree size is too large', where);
  const root = decodeBase64(rootStr, 'checkpoint root hash', where);
  if (root.length !== HASH_SIZE) throw new VerifyError('checkpoint root hash is not 32 bytes', where);
  return { origin, size, root };
}

// ---------------------------------------------------------------------------------------
// HTTP

function mediaType(header) {
  const [type, ...params] = (header ?? '').split(';');
  const out = { type: type.trim().toLowerCase(), params: {} };
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    out.params[p.slice(0, eq).trim().toLowerCase()] = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
  }
  return out;
}

/** GET url; `immutable`, if set, names the resource that must carry Cache-Control: immutable. */
async function get(url, { contentType, immutable = null }) {
  let res;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (e) {
    throw new VerifyError(`request failed: ${e.cause?.message ?? e.message}`, url);
  }
  if (res.status !== 200) {
    throw new VerifyError(`HTTP status ${res.status}, want 200`, url);
  }
  const ct = res.headers.get('content-type');
  const mt = mediaType(ct);
  if (mt.type !== contentType) {
    throw new VerifyError(`Content-Type is ${JSON.stringify(ct)}, want ${contentType}`, url);
  }
  if (contentType === 'text/plain' && mt.params.charset !== undefined && mt.params.charset !== 'utf-8') {
    throw new VerifyError(`Content-Type charset is ${mt.params.charset}, want utf-8`, url);
  }
  if (immutable) {
    const cc = res.headers.get('cache-control') ?? '';
    if (!cc.split(',').some((d) => d.trim().toLowerCase() === 'immutable')) {
      throw new VerifyError(
        `${immutable} has Cache-Control ${JSON.stringify(cc)}, want it to contain "immutable"`,
        url,
      );
    }
  }
  try {
    return Buffer.from(await res.arrayBuffer());
  } catch (e) {
    throw new VerifyError(`reading the body failed: ${e.cause?.message ?? e.message}`, url);
  }
}

async function inParallel(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// ---------------------------------------------------------------------------------------
// The tiled tree

/**
 * Every hash tile of a tree of `size` leaves, all levels. tlog-tiles §Merkle Tree: level L
 * holds floor(size / 256^L) hashes; floor(that / 256) full tiles, then a partial tile of
 * width (that mod 256) if non-zero. Levels continue while they hold at least one hash.
 */
function planTiles(size) {
  const levels = [];
  let span = 1; // leaves under one hash at this level: 256^L
  for (let level = 0; Math.floor(size / span) > 0; level++, span *= TILE_WIDTH) {
    const count = Math.floor(size / span);
    const tiles = [];
    const full = Math.floor(count / TILE_WIDTH);
    for (let n = 0; n < full; n++) tiles.push({ level, index: n, width: TILE_WIDTH });
    if (count % TILE_WIDTH) tiles.push({ level, index: full, width: count % TILE_WIDTH });
    levels.push({ level, count, tiles });
  }
  return levels;
}

async function verifyLog(prefix, vkey) {
  const base = prefix.replace(/\/+$/, '');

  // 1. Checkpoint (tlog-tiles §Checkpoints).
  const cpUrl = `${base}/checkpoint`;
  const cpBytes = await get(cpUrl, { contentType: 'text/plain' });
  if (cpBytes.length > MAX_CHECKPOINT_BYTES) {
    throw new VerifyError(`checkpoint is larger than ${MAX_CHECKPOINT_BYTES} bytes`, cpUrl);
  }
  const text = verifyNote(cpBytes, vkey, cpUrl);
  const cp = parseCheckpoint(text, cpUrl);
  if (cp.origin !== vkey.name) {
    throw new VerifyError(
      `checkpoint origin ${JSON.stringify(cp.origin)} is not the key name ${JSON.stringify(vkey.name)}`,
      cpUrl,
    );
  }

  if (cp.size === 0) {
    if (!cp.root.equals(EMPTY_ROOT)) {
      throw new VerifyError('checkpoint of size 0 does not carry SHA-256("") as its root', cpUrl);
    }
    return { origin: cp.origin, size: 0, root: cp.root, tiles: 0, bundles: 0 };
  }

  // 2. Every hash tile, every level.
  const plan = planTiles(cp.size);
  const levelHashes = plan.map((l) => new Array(l.count)); // levelHashes[L][i]
  const allTiles = plan.flatMap((l) => l.tiles);
  await inParallel(allTiles, CONCURRENCY, async (t) => {
    const url = `${base}/${tilePath(t.level, t.index, t.width)}`;
    const body = await get(url, {
      contentType: 'application/octet-stream',
      immutable: t.width === TILE_WIDTH ? 'full tile' : null,
    });
    if (body.length !== HASH_SIZE * t.width) {
      throw new VerifyError(`tile is ${body.length} bytes, want ${HASH_SIZE * t.width}`, url);
    }
    for (let i = 0; i < t.width; i++) {
      levelHashes[t.level][t.index * TILE_WIDTH + i] = body.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
    }
  });

  // 3. Each hash at level L+1 is the MTH of the full level-L tile below it.
  for (let level = 1; level < plan.length; level++) {
    const upper = levelHashes[level];
    const lower = levelHashes[level - 1];
    for (let j = 0; j < upper.length; j++) {
      const below = perfectSubtreeHash(lower.slice(j * TILE_WIDTH, (j + 1) * TILE_WIDTH));
      if (!below.equals(upper[j])) {
        const n = Math.floor(j / TILE_WIDTH);
        const w = plan[level].tiles.find((t) => t.index === n).width;
        throw new VerifyError(
          `hash ${j % TILE_WIDTH} of level-${level} tile ${n} is not the MTH of level-${level - 1} ` +
            `tile ${j} (${tilePath(level - 1, j, TILE_WIDTH)})`,
          `${base}/${tilePath(level, n, w)}`,
        );
      }
    }
  }

  // 4. Every entry bundle; leaf hashes must equal the level-0 tile hashes.
  const bundles = plan[0].tiles; // same indices and widths as the level-0 tiles
  const leafHashes = new Array(cp.size);
  await inParallel(bundles, CONCURRENCY, async (b) => {
    const url = `${base}/${bundlePath(b.index, b.width)}`;
    const body = await get(url, {
      contentType: 'application/octet-stream',
      immutable: b.width === TILE_WIDTH ? 'full entry bundle' : null,
    });
    let off = 0;
    for (let k = 0; k < b.width; k++) {
      const idx = b.index * TILE_WIDTH + k;
      if (off + 2 > body.length) {
        throw new VerifyError(`bundle ends after ${k} entries, want ${b.width}`, url);
      }
      const len = body.readUInt16BE(off);
      if (off + 2 + len > body.length) {
        throw new VerifyError(`entry ${idx} (bundle position ${k}) is truncated`, url);
      }
      const h = leafHash(body.subarray(off + 2, off + 2 + len));
      off += 2 + len;
      if (!h.equals(levelHashes[0][idx])) {
        throw new VerifyError(
          `leaf hash of entry ${idx} (bundle position ${k}) does not match hash ${k} of ` +
            `${tilePath(0, b.index, b.width)}`,
          url,
        );
      }
      leafHashes[idx] = h;
    }
    if (off !== body.length) {
      throw new VerifyError(`${body.length - off} trailing bytes after ${b.width} entries`, url);
    }
  });

  // 5a. Root from the tiles: the right edge of the tree is the partial tile at each level;
  // split each partial tile's hashes into perfect subtrees by the binary decomposition of
  // its width (largest first), taking levels from the top down, and fold right to left:
  // by RFC 9162 §2.1.1 the MTH of a tree is H(first perfect subtree, MTH of the rest).
  const subtrees = [];
  for (let level = plan.length - 1; level >= 0; level--) {
    const width = plan[level].count % TILE_WIDTH;
    if (width === 0) continue;
    const start = plan[level].count - width;
    let off = 0;
    for (let bit = 7; bit >= 0; bit--) {
      const k = 1 << bit;
      if (width & k) {
        subtrees.push(perfectSubtreeHash(levelHashes[level].slice(start + off, start + off + k)));
        off += k;
      }
    }
  }
  let tileRoot = subtrees[subtrees.length - 1];
  for (let i = subtrees.length - 2; i >= 0; i--) tileRoot = nodeHash(subtrees[i], tileRoot);

  // 5b. Root by the plain recursive RFC 9162 definition, over the entries' leaf hashes.
  const plainRoot = plainMTH(leafHashes);

  if (!tileRoot.equals(plainRoot)) {
    throw new VerifyError(
      `root from tiles ${tileRoot.toString('base64')} differs from the plain MTH ` +
        `${plainRoot.toString('base64')}`,
      base,
    );
  }
  if (!tileRoot.equals(cp.root)) {
    throw new VerifyError(
      `computed root ${tileRoot.toString('base64')} does not match the checkpoint root ` +
        `${cp.root.toString('base64')}`,
      cpUrl,
    );
  }
  return {
    origin: cp.origin,
    size: cp.size,
    root: cp.root,
    tiles: allTiles.length,
    bundles: bundles.length,
  };
}

// ---------------------------------------------------------------------------------------
// CLI

function fail(message, where) {
  const line = `tlog-tiles-client: FAIL: ${message}${where ? ` [at ${where}]` : ''}`;
  process.stderr.write(line.replace(/[\r\n]+/g, ' ') + '\n');
  process.exit(1);
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: { url: { type: 'string' }, vkey: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail(`${e.message}; usage: --url <prefix> --vkey <verifier key | @file>`);
  }
  if (!values.url || !values.vkey) fail('usage: --url <prefix> --vkey <verifier key | @file>');

  let vkeyText = values.vkey;
  if (vkeyText.startsWith('@')) {
    try {
      vkeyText = readFileSync(vkeyText.slice(1), 'utf8').trim();
    } catch (e) {
      fail(`cannot read verifier key file: ${e.message}`, vkeyText.slice(1));
    }
  }
  try {
    new URL(values.url);
  } catch {
    fail('--url is not a valid URL', values.url);
  }

  try {
    const vkey = parseVerifierKey(vkeyText.trim());
    const r = await verifyLog(values.url, vkey);
    process.stdout.write(
      JSON.stringify({
        ok: true,
        origin: r.origin,
        size: r.size,
        root: r.root.toString('base64'),
        tiles: r.tiles,
        bundles: r.bundles,
      }) + '\n',
    );
    process.exit(0);
  } catch (e) {
    if (e instanceof VerifyError) fail(e.message, e.where);
    fail(`unexpected error: ${e?.stack?.split('\n')[0] ?? e}`);
  }
}

// Run only when executed directly, so the selftest can import the path helpers.
const invokedDirectly = (() => {
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();
if (invokedDirectly) await main();

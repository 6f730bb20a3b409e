#!/usr/bin/env node
// selftest.mjs: end-to-end test of tlog-tiles-client.mjs against an in-memory tlog-tiles log.
//
// Builds logs of known entries, signs checkpoints with a fresh Ed25519 key in signed-note
// format, serves them on 127.0.0.1 (port 0) with the tlog-tiles layout and headers, runs the
// client as a child process against each, and checks that it accepts the good logs (with the
// expected root, tile count and bundle count) and rejects tampered ones with exit code 1.
//
// The tree building here is deliberately written differently from the client's: levels are
// built bottom-up as 256-wide groups, and the checkpoint root uses a compact-range stack, so
// the two sides do not share an algorithm. RFC 6962's published test vectors pin both down.
//
// Built-in modules only. Usage: node interop/selftest.mjs   (exit 0 = all passed)

import { createHash, generateKeyPairSync, hash as cryptoHash, sign } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const CLIENT = fileURLToPath(new URL('./tlog-tiles-client.mjs', import.meta.url));
const client = await import('./tlog-tiles-client.mjs'); // for its path helpers only
const started = Date.now();

// --------------------------------------------------------------------------------------
// Hashing and tree building (server side)

const H = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const fastH = typeof cryptoHash === 'function' ? (b) => cryptoHash('sha256', b, 'buffer') : (b) => H(b);
const leaf = (e) => fastH(Buffer.concat([Buffer.of(0), e]));
const node = (l, r) => fastH(Buffer.concat([Buffer.of(1), l, r]));

/** Root of a group of 2^k hashes (recursive halving). */
function groupRoot(hs, lo = 0, hi = hs.length) {
  if (hi - lo === 1) return hs[lo];
  const mid = (lo + hi) >>> 1;
  return node(groupRoot(hs, lo, mid), groupRoot(hs, mid, hi));
}

/** RFC 6962 root via a compact-range stack (merge equal-size subtrees as leaves arrive). */
function stackRoot(leafHashes) {
  if (leafHashes.length === 0) return H(Buffer.alloc(0));
  const stack = [];
  leafHashes.forEach((h, i) => {
    for (let k = i; k & 1; k >>= 1) h = node(stack.pop(), h);
    stack.push(h);
  });
  let r = stack.pop();
  while (stack.length) r = node(stack.pop(), r);
  return r;
}

/** levels[0] = leaf hashes; levels[L+1][j] = root of levels[L][256j .. 256j+255]. */
function buildLevels(leafHashes) {
  const levels = [leafHashes];
  while (levels.at(-1).length >= 256) {
    const below = levels.at(-1);
    const up = [];
    for (let j = 0; (j + 1) * 256 <= below.length; j++) up.push(groupRoot(below, j * 256, (j + 1) * 256));
    levels.push(up);
  }
  return levels;
}

function indexPath(n) {
  const digits = String(n);
  const padded = digits.padStart(Math.ceil(digits.length / 3) * 3, '0');
  const groups = padded.match(/.../g);
  return groups.map((g, i) => (i === groups.length - 1 ? g : `x${g}`)).join('/');
}
// The spec's example, and the edges around group boundaries, for both encoders.
for (const [n, want] of [[0, '000'], [5, '005'], [999, '999'], [1000, 'x001/000'], [1001, 'x001/001'],
  [273, '273'], [999999, 'x999/999'], [1000000, 'x001/x000/000'], [1234067, 'x001/x234/067']]) {
  if (indexPath(n) !== want) throw new Error(`selftest indexPath(${n}) is wrong`);
  const got = client.encodeTileIndex(n);
  if (got !== want) throw new Error(`client encodeTileIndex(${n}) = ${got}, want ${want}`);
}
if (client.tilePath(2, 1234067, 17) !== 'tile/2/x001/x234/067.p/17' || client.tilePath(0, 1000, 256) !== 'tile/0/x001/000' ||
  client.bundlePath(1234067, 255) !== 'tile/entries/x001/x234/067.p/255' || client.bundlePath(7, 256) !== 'tile/entries/007') {
  throw new Error('client tile/bundle paths are wrong');
}

// --------------------------------------------------------------------------------------
// Keys and signed notes

function newKey(name) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
  const id = H(Buffer.from(name), Buffer.of(0x0a, 0x01), pub).subarray(0, 4);
  const vkey = `${name}+${id.toString('hex')}+${Buffer.concat([Buffer.of(1), pub]).toString('base64')}`;
  return { name, id, privateKey, vkey };
}

function sigLine(key, text, { name = key.name, id = key.id, corrupt = false } = {}) {
  const sig = sign(null, Buffer.from(text), key.privateKey);
  if (corrupt) sig[10] ^= 0x01;
  return `\u2014 ${name} ${Buffer.concat([id, sig]).toString('base64')}\n`;
}

function checkpointText(origin, size, root) {
  return `${origin}\n${size}\n${root.toString('base64')}\n`;
}

// --------------------------------------------------------------------------------------
// Serving

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=5';

function buildTree(entries) {
  const leafHashes = entries.map(leaf);
  return { entries, leafHashes, levels: buildLevels(leafHashes) };
}

/**
 * The resource map (path under prefix -> {body, headers}) for the first `size` entries of a
 * tree. A prefix of a tree shares every complete 256-group, so its levels are prefixes of the
 * tree's levels: level L keeps floor(size / 256^L) hashes.
 */
function logResources(tree, size, key, { origin = key.name, gzipBundles = false } = {}) {
  const entries = tree.entries.slice(0, size);
  const leafHashes = tree.leafHashes.slice(0, size);
  const levels = [];
  for (let L = 0, span = 1; Math.floor(size / span) > 0; L++, span *= 256) {
    levels.push(tree.levels[L].slice(0, Math.floor(size / span)));
  }
  const root = stackRoot(leafHashes);
  const res = new Map();
  const text = checkpointText(origin, size, root);
  res.set('checkpoint', {
    body: Buffer.from(text + '\n' + sigLine(key, text)),
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
  let tiles = 0;
  levels.forEach((hashes, L) => {
    for (let start = 0; start < hashes.length; start += 256) {
      const w = Math.min(256, hashes.length - start);
      const n = start / 256;
      const p = `tile/${L}/${indexPath(n)}${w === 256 ? '' : `.p/${w}`}`;
      res.set(p, {
        body: Buffer.concat(hashes.slice(start, start + w)),
        headers: { 'content-type': 'application/octet-stream', 'cache-control': w === 256 ? IMMUTABLE : SHORT },
      });
      tiles++;
    }
  });
  // A level with >= 256 hashes has a level above it; a top level with fewer than 256 hashes
  // is the last. (For size 256: level 1 holds one hash, in a partial tile of width 1.)
  let bundles = 0;
  for (let start = 0; start < size; start += 256) {
    const w = Math.min(256, size - start);
    const parts = [];
    for (const e of entries.slice(start, start + w)) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(e.length);
      parts.push(len, e);
    }
    let body = Buffer.concat(parts);
    const headers = { 'content-type': 'application/octet-stream', 'cache-control': w === 256 ? IMMUTABLE : SHORT };
    if (gzipBundles) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    res.set(`tile/entries/${indexPath(start / 256)}${w === 256 ? '' : `.p/${w}`}`, { body, headers });
    bundles++;
  }
  return { res, root, size, tiles, bundles, text };
}

const sites = new Map(); // prefix -> resource map
const server = http.createServer((req, resp) => {
  const url = new URL(req.url, 'http://x');
  const m = /^\/([^/]+)\/(.*)$/.exec(url.pathname);
  const r = m && sites.get(m[1])?.get(m[2]);
  if (!r || req.method !== 'GET') {
    resp.writeHead(404, { 'content-type': 'text/plain' });
    resp.end('not found\n');
    return;
  }
  resp.writeHead(200, { ...r.headers, 'content-length': r.body.length });
  resp.end(r.body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;

function runClient(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLIENT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

// --------------------------------------------------------------------------------------
// Test data

const ORIGIN = 'selftest.warden.example/log';
const key = newKey(ORIGIN);
const otherKeySameName = newKey(ORIGIN);
const stranger = newKey('stranger.example/witness');

function makeEntries(n, salt = '') {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    if (i % 97 === 3) out[i] = Buffer.alloc(0); // empty entries are legal
    else if (i === 300) out[i] = Buffer.alloc(65535, 0xab); // the largest legal entry
    else out[i] = Buffer.from(`warden interop entry ${i}${salt}`);
  }
  return out;
}

// RFC 6962 test leaves and the roots published with them (sizes 1..8).
const RFC_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657',
  '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const RFC_ROOT_8 = '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328';
const RFC_ROOT_3 = 'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77';

const tests = [];
const ok = (name, prefix, expect, args) => tests.push({ name, prefix, expect, args, want: 0 });
const bad = (name, prefix, errRe, args) => tests.push({ name, prefix, errRe, args, want: 1 });

function site(prefix, log) {
  sites.set(prefix, log.res);
  return log;
}
function variant(prefix, log, edit) {
  const m = new Map(log.res);
  edit(m);
  sites.set(prefix, m);
}
const flip = (buf, at) => {
  const b = Buffer.from(buf);
  b[at < 0 ? b.length + at : at] ^= 0x01;
  return b;
};
const withBody = (m, path, f) => {
  const r = m.get(path);
  if (!r) throw new Error(`selftest: no resource ${path}`);
  m.set(path, { ...r, body: f(r.body) });
};
const withHeaders = (m, path, h) => m.set(path, { ...m.get(path), headers: { ...m.get(path).headers, ...h } });

// Good logs of many shapes. 70000 is the spec's own example (273 full level-0 tiles + a
// partial of 112, one full level-1 tile + a partial of 17, a level-2 partial of 1).
// 256005 needs 1001 level-0 tiles, so paths like tile/0/x001/000 are fetched end to end; it
// takes several seconds more, so it runs only with SELFTEST_LARGE=1. The client's path
// encoding is unit-tested below either way.
const SIZES = [0, 1, 3, 7, 255, 256, 257, 512, 513, 65536, 70000];
if (process.env.SELFTEST_LARGE) SIZES.push(256005);
const big = buildTree(makeEntries(Math.max(...SIZES)));
const logs = {};
for (const n of SIZES) {
  const log = site(`s${n}`, logResources(big, n, key));
  logs[n] = log;
  ok(`size ${n}`, `s${n}`, { size: n, root: log.root.toString('base64'), tiles: log.tiles, bundles: log.bundles });
}
if (logs[70000].tiles !== 273 + 1 + 1 + 1 + 1 || logs[70000].bundles !== 274) {
  throw new Error('selftest: the 70000-leaf layout disagrees with the tlog-tiles spec example');
}
if (logs[256].tiles !== 2) throw new Error('selftest: size 256 must be one full L0 tile + L1 partial of 1');

for (const n of [3, 8]) {
  const log = site(`rfc${n}`, logResources(buildTree(RFC_LEAVES), n, key));
  const want = n === 8 ? RFC_ROOT_8 : RFC_ROOT_3;
  if (log.root.toString('hex') !== want) throw new Error(`selftest: RFC 6962 root for size ${n} is wrong`);
  ok(`RFC 6962 vectors, size ${n}`, `rfc${n}`, { size: n, root: Buffer.from(want, 'hex').toString('base64') });
}

site('gzip', logResources(big, 600, key, { gzipBundles: true }));
ok('gzip-encoded entry bundles', 'gzip', { size: 600 });

// A vkey given as @file.
const tmp = mkdtempSync(join(tmpdir(), 'tlog-selftest-'));
const vkeyFile = join(tmp, 'log.vkey');
writeFileSync(vkeyFile, key.vkey + '\n');
ok('vkey from @file', 's257', { size: 257 }, ['--vkey', `@${vkeyFile}`]);

// Extra signatures that must be ignored: another key with the same name (different ID) and
// an unrelated witness, both before the log's own.
const entries600 = big.entries.slice(0, 600);
const l600 = site('s600', logResources(big, 600, key));
variant('extrasigs', l600, (m) => {
  const text = l600.text;
  m.set('checkpoint', {
    ...m.get('checkpoint'),
    body: Buffer.from(text + '\n' + sigLine(otherKeySameName, text) + sigLine(stranger, text) + sigLine(key, text)),
  });
});
ok('unknown signatures are ignored', 'extrasigs', { size: 600 });

// ---- tampering: every one of these must make the client exit 1 ----

// Hash tiles. For size 600: tile/0/000, tile/0/001 full, tile/0/002.p/88, tile/1/000.p/2.
variant('t-l0full', l600, (m) => withBody(m, 'tile/0/001', (b) => flip(b, 100)));
bad('flipped byte in full level-0 tile', 't-l0full', /level-1 tile 0 is not the MTH of level-0 tile 1 \(tile\/0\/001\)/);
variant('t-l0part', l600, (m) => withBody(m, 'tile/0/002.p/88', (b) => flip(b, -1)));
bad('flipped byte in partial level-0 tile', 't-l0part', /entry 599 .*tile\/0\/002\.p\/88/);
variant('t-l1part', l600, (m) => withBody(m, 'tile/1/000.p/2', (b) => flip(b, 33)));
bad('flipped byte in partial level-1 tile', 't-l1part', /level-1 tile 0 is not the MTH.*tile\/1\/000\.p\/2/);
variant('t-l1full', logs[70000], (m) => withBody(m, 'tile/1/000', (b) => flip(b, 8000)));
bad('flipped byte in full level-1 tile (70000)', 't-l1full', /hash 250 of level-1 tile 0 .*tile\/1\/000\]/);
variant('t-l2', logs[70000], (m) => withBody(m, 'tile/2/000.p/1', (b) => flip(b, 0)));
bad('flipped byte in level-2 tile (70000)', 't-l2', /level-2 tile 0 is not the MTH of level-1 tile 0/);
variant('t-short', l600, (m) => withBody(m, 'tile/0/000', (b) => b.subarray(0, b.length - 32)));
bad('truncated full tile', 't-short', /tile is 8160 bytes, want 8192.*tile\/0\/000\]/);
variant('t-missing', l600, (m) => m.delete('tile/0/002.p/88'));
bad('missing partial tile (404)', 't-missing', /HTTP status 404.*tile\/0\/002\.p\/88/);
variant('t-mutable', l600, (m) => withHeaders(m, 'tile/0/001', { 'cache-control': 'public, max-age=60' }));
bad('full tile without immutable', 't-mutable', /full tile has Cache-Control.*immutable.*tile\/0\/001\]/);
variant('e-mutable', l600, (m) => withHeaders(m, 'tile/entries/001', { 'cache-control': 'public, max-age=60' }));
bad('full entry bundle without immutable', 'e-mutable', /full entry bundle has Cache-Control.*tile\/entries\/001\]/);
variant('t-ctype', l600, (m) => withHeaders(m, 'tile/1/000.p/2', { 'content-type': 'text/plain' }));
bad('tile with the wrong Content-Type', 't-ctype', /Content-Type.*tile\/1\/000\.p\/2/);

// Entry bundles.
variant('e-flip', l600, (m) => withBody(m, 'tile/entries/001', (b) => flip(b, 40)));
bad('flipped byte in an entry', 'e-flip', /does not match hash .*tile\/entries\/001\]/);
variant('e-partflip', l600, (m) => withBody(m, 'tile/entries/002.p/88', (b) => flip(b, -2)));
bad('flipped byte in a partial bundle entry', 'e-partflip', /entry 599 .*tile\/entries\/002\.p\/88/);
variant('e-trailing', l600, (m) => withBody(m, 'tile/entries/000', (b) => Buffer.concat([b, Buffer.of(0)])));
bad('trailing byte after a bundle', 'e-trailing', /1 trailing bytes.*tile\/entries\/000\]/);
variant('e-short', l600, (m) => withBody(m, 'tile/entries/002.p/88', (b) => b.subarray(0, b.length - 2 - entries600[599].length)));
bad('bundle missing its last entry', 'e-short', /bundle ends after 87 entries.*entries\/002\.p\/88/);
variant('e-len', l600, (m) => withBody(m, 'tile/entries/001', (b) => flip(b, 1)));
bad('corrupted entry length prefix', 'e-len', /tile\/entries\/001\]/);
variant('e-ctype', l600, (m) => withHeaders(m, 'tile/entries/000', { 'content-type': 'application/json' }));
bad('bundle with the wrong Content-Type', 'e-ctype', /Content-Type.*tile\/entries\/000\]/);

// A rewritten history: one entry changed and every tile recomputed to match, but served
// under the original signed checkpoint.
{
  const forged = makeEntries(600);
  forged[421] = Buffer.from('a rewritten entry');
  const flog = logResources(buildTree(forged), 600, key);
  variant('forged', flog, (m) => m.set('checkpoint', l600.res.get('checkpoint')));
  bad('consistently rewritten tiles under the old checkpoint', 'forged', /computed root .* does not match the checkpoint root/);
}

// Checkpoint.
const cpBody = l600.res.get('checkpoint').body;
variant('c-text', l600, (m) => withBody(m, 'checkpoint', (b) => flip(b, ORIGIN.length + 2))); // a size digit
bad('flipped byte in checkpoint text', 'c-text', /signature by .* does not verify.*checkpoint\]/);
variant('c-sig', l600, (m) => withBody(m, 'checkpoint', (b) => flip(b, -10)));
bad('flipped byte in checkpoint signature', 'c-sig', /checkpoint\]/);
variant('c-ctype', l600, (m) => withHeaders(m, 'checkpoint', { 'content-type': 'application/octet-stream' }));
bad('checkpoint with the wrong Content-Type', 'c-ctype', /Content-Type.*checkpoint\]/);
variant('c-badsig', l600, (m) => {
  const text = l600.text;
  m.set('checkpoint', { ...m.get('checkpoint'), body: Buffer.from(text + '\n' + sigLine(key, text) + sigLine(key, text, { corrupt: true })) });
});
bad('a valid and an invalid signature by the trusted key', 'c-badsig', /does not verify/);
variant('c-wrongroot', l600, (m) => {
  const text = checkpointText(ORIGIN, 600, H(Buffer.from('not the root')));
  m.set('checkpoint', { ...m.get('checkpoint'), body: Buffer.from(text + '\n' + sigLine(key, text)) });
});
bad('validly signed checkpoint with a wrong root', 'c-wrongroot', /computed root .* does not match the checkpoint root/);
variant('c-origin', l600, (m) => {
  const text = checkpointText('elsewhere.example/log', 600, l600.root);
  m.set('checkpoint', { ...m.get('checkpoint'), body: Buffer.from(text + '\n' + sigLine(key, text)) });
});
bad('checkpoint origin differs from the key name', 'c-origin', /origin "elsewhere\.example\/log" is not the key name/);
variant('c-bigger', l600, (m) => {
  const text = checkpointText(ORIGIN, 601, l600.root);
  m.set('checkpoint', { ...m.get('checkpoint'), body: Buffer.from(text + '\n' + sigLine(key, text)) });
});
bad('checkpoint claiming more entries than served', 'c-bigger', /404.*tile\/0\/002\.p\/89/);
variant('c-zero-bad', logs[0], (m) => {
  const text = checkpointText(ORIGIN, 0, H(Buffer.from('x')));
  m.set('checkpoint', { ...m.get('checkpoint'), body: Buffer.from(text + '\n' + sigLine(key, text)) });
});
bad('size 0 with a root other than SHA-256("")', 'c-zero-bad', /size 0/);
variant('c-nosig', l600, (m) => m.set('checkpoint', { ...m.get('checkpoint'), body: Buffer.from(l600.text + '\n') }));
bad('checkpoint without signatures', 'c-nosig', /checkpoint\]/);

// Keys.
bad('a different key with the same name', 's600', /no signature by the trusted key/, ['--vkey', otherKeySameName.vkey]);
{
  const [, n, id, k] = /^([^+]+)\+([0-9a-f]{8})\+(.*)$/s.exec(key.vkey);
  const badId = id.slice(0, 7) + (id[7] === '0' ? '1' : '0');
  bad('verifier key with a wrong key ID', 's600', /key ID .* does not match.*--vkey/, ['--vkey', `${n}+${badId}+${k}`]);
}

// --------------------------------------------------------------------------------------
// Run

console.log(`built ${sites.size} sites in ${((Date.now() - started) / 1000).toFixed(1)}s`);

if (process.env.SELFTEST_SERVE) {
  // Debugging aid: keep serving the logs instead of running the client.
  console.log(`serving ${base}/<site>, e.g. ${base}/s70000 ; vkey ${key.vkey}`);
  await new Promise(() => {});
}
const only = process.env.SELFTEST_ONLY ? new RegExp(process.env.SELFTEST_ONLY) : null;
if (only) tests.splice(0, tests.length, ...tests.filter((t) => only.test(t.name)));
// Longest first, so the big logs overlap with the many small runs.
const cost = (t) => (/256005/.test(t.name) ? 3 : /65536|70000/.test(t.name) ? 2 : 1);
tests.sort((a, b) => cost(b) - cost(a));
const results = new Array(tests.length);
let next = 0;
async function worker() {
  while (next < tests.length) {
    const i = next++;
    const t = tests[i];
    const args = ['--url', `${base}/${t.prefix}`, ...(t.args ?? [])];
    if (!args.includes('--vkey')) args.push('--vkey', key.vkey);
    const t0 = Date.now();
    const r = await runClient(args);
    r.ms = Date.now() - t0;
    const problems = [];
    if (r.code !== t.want) problems.push(`exit ${r.code}, want ${t.want}`);
    if (t.want === 0) {
      let j;
      try {
        const lines = r.out.trim().split('\n');
        if (lines.length !== 1) throw new Error('not one line');
        j = JSON.parse(lines[0]);
      } catch {
        problems.push(`stdout is not one JSON line: ${JSON.stringify(r.out)}`);
      }
      if (j) {
        if (j.ok !== true || j.origin !== ORIGIN) problems.push(`bad ok/origin in ${r.out.trim()}`);
        for (const [k, v] of Object.entries(t.expect)) if (j[k] !== v) problems.push(`${k}=${j[k]}, want ${v}`);
      }
    } else {
      const lines = r.err.trim().split('\n');
      if (lines.length !== 1 || !lines[0].startsWith('tlog-tiles-client: FAIL: ')) problems.push('stderr is not one FAIL line');
      if (!t.errRe.test(r.err)) problems.push(`stderr does not match ${t.errRe}`);
      if (r.out !== '') problems.push('stdout not empty on failure');
    }
    results[i] = { t, r, problems };
  }
}
await Promise.all(Array.from({ length: Number(process.env.SELFTEST_WORKERS ?? 4) }, worker));
server.closeAllConnections();
server.close();
rmSync(tmp, { recursive: true, force: true });

let failed = 0;
for (const { t, r, problems } of results) {
  const tag = problems.length ? 'FAIL' : 'ok  ';
  const detail = t.want === 0 ? r.out.trim() : r.err.trim();
  console.log(`${tag} ${t.want === 0 ? 'accept' : 'reject'}: ${t.name} (${r.ms} ms)\n       ${detail.slice(0, 200)}`);
  for (const p of problems) console.log(`       !! ${p}`);
  if (problems.length) failed++;
}
const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log(`\n${tests.length - failed}/${tests.length} passed in ${secs}s`);
process.exit(failed ? 1 : 0);

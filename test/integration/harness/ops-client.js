#!/usr/bin/env node
/*
 * Client of the operations scenarios, run inside a network namespace the harness made
 * (`ip netns exec <ns> node ops-client.js …`), never against any other address.
 *
 *   write  <system> <host> <port> <prefix> <outFile> <maxMs> [intervalMs]
 *       writes <prefix>:<n> = v<n> one at a time until SIGTERM or maxMs; every outcome is a line of
 *       <outFile>: `ack <key> <startMs> <endMs>` (the server acknowledged it) or
 *       `fail <key> <startMs> <endMs> <reason>` (refused, timed out or connection lost: unknown).
 *   verify <system> <host> <port> <ackFile>
 *       reads back every acknowledged key; prints JSON { acknowledged, lost, lostKeys } on stdout.
 *
 * <system>: `redis` (RESP over TCP, password from REDIS_PASSWORD, plain SET: what a client that does not
 * speak Sentinel sees), `etcd` (the v3 JSON gateway over HTTP, `/v3/kv/put` and `/v3/kv/range`) or
 * `zookeeper` (its binary protocol: one session, `create` of a persistent znode `/<prefix>-<n>`, read back
 * with `sync` + `getData`).
 * Each request is bounded (REQUEST_MS); the process ends by itself after maxMs.
 */
'use strict';
const net = require('net');
const http = require('http');
const fs = require('fs');

const REQUEST_MS = 3000;
const [mode, system, host, portText, ...rest] = process.argv.slice(2);
const port = Number(portText);

/**
 * A TCP connection to host:port with one request in flight: received bytes collect in `buf` and
 * the subclass's pump() resolves the waiter once a whole reply is there. Each step is bounded by REQUEST_MS.
 */
class Connection {
  constructor() { this.socket = undefined; this.buf = Buffer.alloc(0); this.waiter = undefined; }
  /** Connects; a lost connection rejects the request in flight. */
  async open() {
    this.close();
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    await new Promise((resolve, reject) => {
      const t = setTimeout(() => { socket.destroy(); reject(new Error('connect timeout')); }, REQUEST_MS);
      socket.once('connect', () => { clearTimeout(t); resolve(); });
      socket.once('error', (e) => { clearTimeout(t); reject(e); });
    });
    this.socket = socket;
    this.buf = Buffer.alloc(0);
    socket.on('data', (d) => { this.buf = Buffer.concat([this.buf, d]); this.pump(); });
    const lost = (why) => { if (this.socket === socket) this.socket = undefined; this.fail(new Error(why)); };
    socket.on('error', (e) => lost(`connection error: ${e.code || e.message}`));
    socket.on('close', () => lost('connection closed'));
  }
  close() { if (this.socket) { const s = this.socket; this.socket = undefined; s.destroy(); } }
  fail(e) { const w = this.waiter; this.waiter = undefined; if (w) w.reject(e); }
  /** Writes `bytes` and resolves what pump() hands the waiter; a timeout closes the connection. */
  send(bytes) {
    if (!this.socket) return Promise.reject(new Error('not connected'));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => { this.waiter = undefined; this.close(); reject(new Error('timeout')); }, REQUEST_MS);
      this.waiter = { resolve: (v) => { clearTimeout(t); resolve(v); }, reject: (e) => { clearTimeout(t); reject(e); } };
      this.socket.write(bytes);
    });
  }
}

/** One RESP connection with one command in flight at a time. */
class Resp extends Connection {
  async connect() {
    await this.open();
    if (process.env.REDIS_PASSWORD) {
      const r = await this.command(['AUTH', process.env.REDIS_PASSWORD]);
      if (r !== 'OK') throw new Error(`AUTH: ${r}`);
    }
  }
  pump() {
    if (!this.waiter) return;
    const parsed = parseReply(this.buf, 0);
    if (!parsed) return;
    this.buf = this.buf.subarray(parsed.end);
    const w = this.waiter; this.waiter = undefined;
    w.resolve(parsed.value);
  }
  command(args) {
    const parts = [`*${args.length}\r\n`];
    for (const a of args) parts.push(`$${Buffer.byteLength(a)}\r\n${a}\r\n`);
    return this.send(parts.join(''));
  }
}

/** Parses one RESP2 reply at `at`: { value, end } or undefined when incomplete. Errors become `ERR:<text>`. */
function parseReply(buf, at) {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const line = buf.toString('utf8', at + 1, eol);
  switch (String.fromCharCode(buf[at])) {
    case '+': return { value: line, end: eol + 2 };
    case '-': return { value: `ERR:${line}`, end: eol + 2 };
    case ':': return { value: Number(line), end: eol + 2 };
    case '$': {
      const n = Number(line);
      if (n < 0) return { value: null, end: eol + 2 };
      if (buf.length < eol + 2 + n + 2) return undefined;
      return { value: buf.toString('utf8', eol + 2, eol + 2 + n), end: eol + 2 + n + 2 };
    }
    case '*': {
      const n = Number(line);
      const items = [];
      let end = eol + 2;
      for (let i = 0; i < n; i++) {
        const p = parseReply(buf, end);
        if (!p) return undefined;
        items.push(p.value);
        end = p.end;
      }
      return { value: items, end };
    }
    default: throw new Error(`bad RESP reply: ${line}`);
  }
}

/** One bounded HTTP POST of JSON to the etcd gateway. */
function etcdPost(path, body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request({ host, port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }, timeout: REQUEST_MS }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode} ${text.slice(0, 200).replace(/\s+/g, ' ')}`));
        try { resolve(JSON.parse(text)); } catch (e) { reject(e); }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(data);
  });
}
const b64 = (s) => Buffer.from(s).toString('base64');

/** ZooKeeper over its binary protocol (jute): one session, one request in flight. Errors: `ZK<code>`. */
class Zk extends Connection {
  constructor() { super(); this.xid = 1; }
  pump() {
    while (this.buf.length >= 4) {
      const len = this.buf.readInt32BE(0);
      if (this.buf.length < 4 + len) return;
      const frame = this.buf.subarray(4, 4 + len);
      this.buf = this.buf.subarray(4 + len);
      const w = this.waiter; this.waiter = undefined;
      if (w) w.resolve(frame);
    }
  }
  roundTrip(payload) {
    const head = Buffer.alloc(4); head.writeInt32BE(payload.length);
    return this.send(Buffer.concat([head, payload]));
  }
  async connect() {
    await this.open();
    // ConnectRequest: protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly
    const req = Buffer.alloc(4 + 8 + 4 + 8 + 4 + 16 + 1);
    req.writeInt32BE(0, 0); req.writeBigInt64BE(0n, 4); req.writeInt32BE(10000, 12); req.writeBigInt64BE(0n, 16); req.writeInt32BE(16, 24);
    const reply = await this.roundTrip(req);
    if (reply.length < 16 || reply.readInt32BE(4) <= 0) throw new Error('session refused');
  }
  /** Sends a request of `type` with `body`; resolves the reply body, rejects with ZK<err> when err ≠ 0. */
  async request(type, body) {
    if (!this.socket) await this.connect();
    const xid = this.xid++;
    const head = Buffer.alloc(8); head.writeInt32BE(xid, 0); head.writeInt32BE(type, 4);
    const reply = await this.roundTrip(Buffer.concat([head, body]));
    const err = reply.readInt32BE(12);
    if (err !== 0) throw new Error(`ZK${err}`);
    return reply.subarray(16);
  }
}
const zkString = (s) => { const b = Buffer.from(s); const h = Buffer.alloc(4); h.writeInt32BE(b.length); return Buffer.concat([h, b]); };
/** ACL world:anyone with every permission (31). */
const zkOpenAcl = () => { const n = Buffer.alloc(8); n.writeInt32BE(1, 0); n.writeInt32BE(31, 4); return Buffer.concat([n, zkString('world'), zkString('anyone')]); };
const zkPath = (key) => `/${key.replace(/:/g, '-')}`;

function client() {
  if (system === 'redis') {
    const r = new Resp();
    return {
      async put(key, value) {
        if (!r.socket) await r.connect();
        const reply = await r.command(['SET', key, value]);
        if (reply !== 'OK') throw new Error(String(reply));
      },
      async get(key) {
        if (!r.socket) await r.connect();
        const reply = await r.command(['GET', key]);
        if (typeof reply === 'string' && reply.startsWith('ERR:')) throw new Error(reply);
        return reply;
      },
      close() { r.close(); },
    };
  }
  if (system === 'etcd') {
    return {
      async put(key, value) { await etcdPost('/v3/kv/put', { key: b64(key), value: b64(value) }); },
      async get(key) {
        const r = await etcdPost('/v3/kv/range', { key: b64(key), serializable: false });
        return r.kvs && r.kvs.length > 0 ? Buffer.from(r.kvs[0].value, 'base64').toString() : null;
      },
      close() {},
    };
  }
  if (system === 'zookeeper') {
    const z = new Zk();
    return {
      async put(key, value) {
        const flags = Buffer.alloc(4);
        await z.request(1, Buffer.concat([zkString(zkPath(key)), zkString(value), zkOpenAcl(), flags])); // create, persistent
      },
      async get(key) {
        try {
          // sync first: a read through a follower may lag the leader
          await z.request(9, zkString(zkPath(key)));
          const r = await z.request(4, Buffer.concat([zkString(zkPath(key)), Buffer.from([0])])); // getData, no watch
          const n = r.readInt32BE(0);
          return n < 0 ? '' : r.toString('utf8', 4, 4 + n);
        } catch (e) {
          if (e.message === 'ZK-101') return null; // NONODE
          throw e;
        }
      },
      close() { z.close(); },
    };
  }
  throw new Error(`unknown system '${system}'`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function write() {
  const [prefix, outFile, maxMsText, intervalText] = rest;
  const deadline = Date.now() + Number(maxMsText);
  const interval = Number(intervalText || 20);
  const out = fs.openSync(outFile, 'a');
  let stopping = false;
  process.on('SIGTERM', () => { stopping = true; });
  const c = client();
  for (let n = 0; !stopping && Date.now() < deadline; n++) {
    const key = `${prefix}:${n}`;
    const start = Date.now();
    try {
      await c.put(key, `v${n}`);
      fs.writeSync(out, `ack ${key} ${start} ${Date.now()}\n`);
    } catch (e) {
      fs.writeSync(out, `fail ${key} ${start} ${Date.now()} ${String(e.message).replace(/\s+/g, ' ').slice(0, 120)}\n`);
      if (system !== 'etcd') c.close();
      await sleep(100);
    }
    await sleep(interval);
  }
  c.close();
  fs.closeSync(out);
}

async function verify() {
  const [ackFile] = rest;
  const acked = fs.readFileSync(ackFile, 'utf8').split('\n').filter((l) => l.startsWith('ack ')).map((l) => l.split(' ')[1]);
  const c = client();
  const lostKeys = [];
  for (const key of acked) {
    let value;
    for (let attempt = 0; ; attempt++) {
      try { value = await c.get(key); break; } catch (e) {
        if (attempt >= 5) throw e;
        c.close();
        await sleep(500);
      }
    }
    if (value !== `v${key.slice(key.lastIndexOf(':') + 1)}`) lostKeys.push(key);
  }
  c.close();
  process.stdout.write(JSON.stringify({ acknowledged: acked.length, lost: lostKeys.length, lostKeys: lostKeys.slice(0, 50) }));
}

const main = mode === 'write' ? write : mode === 'verify' ? verify : undefined;
if (!main) { process.stderr.write('usage: ops-client.js write|verify <system> <host> <port> …\n'); process.exit(2); }
const hardStop = setTimeout(() => process.exit(3), 15 * 60 * 1000);
hardStop.unref();
main().then(() => process.exit(0), (e) => { process.stderr.write(`${e.stack || e}\n`); process.exit(1); });

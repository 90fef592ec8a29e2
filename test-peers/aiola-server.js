// A stand-in for aiOla's streaming STT, built on the real npm `socket.io` server (pinned by
// package-lock.json), driven by the Java tests. It serves namespace /events at aiOla's path, checks
// the JWT (Authorization: Bearer and the x-aiola-api-token query parameter must both carry a valid
// one), records every binary_data chunk per execution_id, and optionally plays aiOla's auth API
// (apiKey2Token, session create/delete) on the same port.
//
// It prints one JSON line per thing it observes on stdout, and takes one JSON command per line on
// stdin (see `commands` below).
//
// usage: node aiola-server.js [--port 0] [--token JWT] [--api-key KEY] [--max-sessions N]
//          [--jwt-ttl-s S] [--ping-interval MS] [--ping-timeout MS] [--path P] [--namespace NS]
//          [--auth-failure 401|403|connect-error] [--tls-pfx FILE --tls-pass PASS]
//          [--transports websocket,polling] [--quiet]
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const crypto = require('crypto');
const readline = require('readline');
const { Server } = require('socket.io');

const { args, out } = require('./cli');

const path = args.path || '/api/voice-streaming/socket.io/';
const namespace = args.namespace || '/events';
let authFailure = args['auth-failure'] || '401';
const maxSessions = args['max-sessions'] === undefined ? Infinity : Number(args['max-sessions']);
const jwtTtlS = Number(args['jwt-ttl-s'] || 3600);

// ---- Tokens and sessions (aiOla's auth API). ----
const validJwts = new Set(args.token ? [String(args.token)] : []);
const tempTokens = new Set();
const sessions = new Map(); // sessionId -> { jwt, workflowId }
const b64url = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
function newJwt(ttlS) {
  const now = Math.floor(Date.now() / 1000);
  return b64url({ alg: 'HS256', typ: 'JWT' }) + '.' + b64url({ sub: 'relay-test', iat: now, exp: now + ttlS })
    + '.' + crypto.randomBytes(16).toString('base64url');
}
const bearer = (req) => {
  const h = req.headers.authorization || '';
  return h.startsWith('Bearer ') ? h.slice(7) : null;
};
function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
const concurrencyBody = { code: 'MAX_CONCURRENCY_REACHED', message: 'Max concurrency limit reached for API key' };

function authApi(req, res) {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    const url = req.url.split('?')[0];
    if (req.method === 'POST' && url === '/voip-auth/apiKey2Token') {
      if (!args['api-key'] || bearer(req) !== String(args['api-key'])) {
        out({ type: 'token-refused' });
        return send(res, 401, { message: 'invalid api key' });
      }
      const token = 'tmp-' + crypto.randomBytes(8).toString('hex');
      tempTokens.add(token);
      return send(res, 200, { context: { token } });
    }
    if (req.method === 'POST' && url === '/voip-auth/session') {
      if (!tempTokens.has(bearer(req))) return send(res, 401, { message: 'invalid token' });
      if (sessions.size >= maxSessions) {
        out({ type: 'session-refused', reason: 'concurrency' });
        return send(res, 409, concurrencyBody);
      }
      let workflowId = null;
      try { workflowId = JSON.parse(body).workflow_id; } catch (e) { return send(res, 400, { message: 'bad body' }); }
      const sessionId = 'sess-' + crypto.randomBytes(6).toString('hex');
      const jwt = newJwt(jwtTtlS);
      sessions.set(sessionId, { jwt, workflowId });
      validJwts.add(jwt);
      out({ type: 'session-created', sessionId, workflowId, contentType: req.headers['content-type'] });
      return send(res, 200, { jwt, sessionId });
    }
    if (req.method === 'DELETE' && url === '/voip-auth/session') {
      const jwt = bearer(req);
      for (const [id, s] of sessions) {
        if (s.jwt === jwt) {
          sessions.delete(id);
          validJwts.delete(jwt);
          out({ type: 'session-deleted', sessionId: id });
          return send(res, 200, { ok: true });
        }
      }
      return send(res, 404, { message: 'no such session' });
    }
    send(res, 404, { message: 'not found' });
  });
}

// ---- The Socket.IO server. ----
const server = args['tls-pfx']
  ? https.createServer({ pfx: fs.readFileSync(args['tls-pfx']), passphrase: args['tls-pass'] }, authApi)
  : http.createServer(authApi);
// Engine.IO handshakes (requests without a sid): polling ones are refused here with 403 when the
// JWT is wrong; WebSocket upgrades were already checked by the upgrade interceptor below.
let handshakes = 0;
function allowRequest(req, cb) {
  const query = Object.fromEntries(new URL(req.url, 'http://x').searchParams);
  if (query.sid) return cb(null, true);
  handshakes++;
  const ok = authorized(req.headers, query);
  if (!quiet) out({ type: 'handshake', n: handshakes, transport: query.transport, authorized: ok });
  if (!ok && authFailure !== 'connect-error' && query.transport === 'polling') return cb('unauthorized', false);
  cb(null, true);
}
const io = new Server(server, {
  path,
  serveClient: false,
  transports: String(args.transports || 'websocket').split(','),
  allowRequest,
  pingInterval: Number(args['ping-interval'] || 25000),
  pingTimeout: Number(args['ping-timeout'] || 20000),
});

function authorized(headers, query) {
  const h = headers.authorization || '';
  const jwt = h.startsWith('Bearer ') ? h.slice(7) : null;
  return jwt !== null && jwt === query['x-aiola-api-token'] && validJwts.has(jwt);
}

// Refusals with 401/403 happen at the upgrade, before engine.io sees the request.
let upgrades = 0;
const engineUpgrade = server.listeners('upgrade').slice();
server.removeAllListeners('upgrade');
server.on('upgrade', (req, socket, head) => {
  upgrades++;
  const query = Object.fromEntries(new URL(req.url, 'http://x').searchParams);
  const ok = authorized(req.headers, query);
  if (!quiet) out({ type: 'upgrade', n: upgrades, authorized: ok, url: req.url.split('?')[0] });
  if (!ok && (authFailure === '401' || authFailure === '403')) {
    const text = authFailure === '401' ? 'Unauthorized' : 'Forbidden';
    socket.end(`HTTP/1.1 ${authFailure} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n`
      + `Content-Length: ${text.length}\r\n\r\n${text}`);
    return;
  }
  for (const l of engineUpgrade) l.call(server, req, socket, head);
});

const nsp = io.of(namespace);
let hold = false;
const held = [];
nsp.use((socket, next) => {
  if (!authorized(socket.handshake.headers, socket.handshake.query)) {
    return next(new Error('unauthorized: invalid token'));
  }
  if (hold) held.push(next);
  else next();
});

const audio = new Map(); // execution_id -> [Buffer]
const record = (exec) => {
  if (!audio.has(exec)) audio.set(exec, []);
  return audio.get(exec);
};
let connections = 0;
let totalChunks = 0;
let totalBytes = 0;
// --quiet: load tests; audio is counted, not recorded, and per-connection lines are not printed.
const quiet = !!args.quiet;
nsp.on('connection', (socket) => {
  connections++;
  const q = socket.handshake.query;
  const exec = String(q.execution_id);
  let bytes = 0;
  let chunks = 0;
  if (!quiet) out({ type: 'connect', n: connections, id: socket.id, exec, query: q, authorization: socket.handshake.headers.authorization });
  socket.on('binary_data', (data, ...rest) => {
    totalChunks++;
    totalBytes += data.length;
    if (quiet) return;
    const b = Buffer.from(data);
    record(exec).push(b);
    bytes += b.length;
    chunks++;
    out({ type: 'audio', exec, n: connections, bytes: b.length, connBytes: bytes, chunks, extraArgs: rest.length, binary: Buffer.isBuffer(data) });
  });
  socket.on('set_keywords', (kw) => {
    const value = Buffer.isBuffer(kw) ? JSON.parse(kw.toString('utf8')) : kw;
    out({ type: 'keywords', exec, keywords: value });
  });
  socket.onAny((event) => {
    if (event !== 'binary_data' && event !== 'set_keywords') out({ type: 'event', exec, event });
  });
  socket.on('disconnect', (reason) => { if (!quiet) out({ type: 'disconnect', exec, reason, connBytes: bytes, chunks }); });
});

// ---- Commands from the test, one JSON object per stdin line. ----
const targets = (c) => [...nsp.sockets.values()].filter((s) => !c.exec || String(s.handshake.query.execution_id) === c.exec);
const commands = {
  // {"cmd":"emit","event":"transcript","args":[{…}],"ack":true}: to every connected socket (or exec's).
  emit(c) {
    for (const s of targets(c)) {
      if (c.ack) s.timeout(2000).emit(c.event, ...(c.args || []), (err) => out({ type: 'acked', event: c.event, err: err ? String(err.message) : null }));
      else s.emit(c.event, ...(c.args || []));
    }
    out({ type: 'emitted', event: c.event, sockets: targets(c).length });
  },
  // {"cmd":"emit-binary","event":"transcript","text":"{…}"}: one binary (UTF-8) argument.
  'emit-binary'(c) {
    for (const s of targets(c)) s.emit(c.event, Buffer.from(c.text, 'utf8'));
    out({ type: 'emitted', event: c.event, sockets: targets(c).length });
  },
  // Namespace disconnect (Socket.IO packet 41) from the server.
  disconnect(c) { for (const s of targets(c)) s.disconnect(); out({ type: 'disconnected' }); },
  // Close the whole Engine.IO connection (WebSocket close).
  close(c) { for (const s of targets(c)) s.conn.close(); out({ type: 'closed' }); },
  // Stop pinging the current connections (the server also stops expecting pongs).
  mute(c) {
    for (const s of targets(c)) {
      const conn = s.conn;
      clearTimeout(conn.pingIntervalTimer);
      clearTimeout(conn.pingTimeoutTimer);
      conn.schedulePing = () => {};
      conn.resetPingTimeout = () => {};
    }
    out({ type: 'muted' });
  },
  // Stop reading the current connections' TCP sockets (no pongs either): a peer that stalls.
  stall(c) { for (const s of targets(c)) s.conn.transport.socket._socket.pause(); out({ type: 'stalled' }); },
  // Kill the current connections' TCP sockets with a reset: what they had not read yet is lost.
  reset(c) { for (const s of targets(c)) s.conn.transport.socket._socket.resetAndDestroy(); out({ type: 'reset' }); },
  // A raw WebSocket text frame that is not Engine.IO.
  garbage(c) { for (const s of targets(c)) s.conn.transport.socket.send(c.text || 'garbage'); out({ type: 'garbaged' }); },
  // Namespace connects wait until release.
  hold() { hold = true; out({ type: 'holding' }); },
  release() { hold = false; while (held.length) held.shift()(); out({ type: 'released' }); },
  // Every issued session JWT stops working (the configured --token too), and current clients are cut off.
  revoke() {
    validJwts.clear();
    sessions.clear();
    for (const s of nsp.sockets.values()) s.conn.close();
    out({ type: 'revoked' });
  },
  'auth-failure'(c) { authFailure = c.mode; out({ type: 'auth-failure', mode: authFailure }); },
  // {"cmd":"save","exec":"…","file":"…"}: every chunk of the execution, concatenated.
  save(c) {
    const chunks = audio.get(c.exec) || [];
    const all = Buffer.concat(chunks);
    fs.writeFileSync(c.file, all);
    out({ type: 'saved', exec: c.exec, bytes: all.length, chunks: chunks.length, sizes: chunks.map((b) => b.length) });
  },
  stats() {
    out({ type: 'stats', upgrades, handshakes, connections, sessions: sessions.size, sockets: nsp.sockets.size, totalChunks, totalBytes });
  },
  quit() { process.exit(0); },
};
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) return;
  let c;
  try { c = JSON.parse(line); } catch (e) { return out({ type: 'bad-command', line }); }
  const f = commands[c.cmd];
  if (!f) return out({ type: 'bad-command', line });
  f(c);
});
process.stdin.on('end', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

server.listen(Number(args.port || 0), '127.0.0.1', () => {
  out({ type: 'listening', port: server.address().port, tls: !!args['tls-pfx'] });
});

// A Media Streams bot built on the real npm `ws` server, driven by the Java media-stream tests.
// It accepts the relay's connections, records the envelope it receives (connected, start, media
// counts/bytes/sha256/timestamps, marks, stop) and prints one JSON line per thing it observes.
// Commands arrive as JSON lines on stdin and act on the newest open connection:
//   {"cmd":"media","payload":B64,"chunk":N,"paceMs":M}  send audio as media messages of N bytes
//   {"cmd":"mark","name":S}   {"cmd":"clear"}   {"cmd":"raw","text":S}   {"cmd":"binary"}
//   {"cmd":"terminate"} (drop the TCP connection)   {"cmd":"close","code":C}
//   {"cmd":"pause"} / {"cmd":"resume"} (stop / start reading the socket: a stalled bot)
//   {"cmd":"refuse","status":S,"count":N} (answer the next N upgrades with HTTP S)
//   {"cmd":"report"} (print what the newest connection received so far)
//
// usage: node bot-server.js [--echo] [--die-after-media N] [--refuse STATUS] [--tls-pfx FILE --tls-pass P]
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const https = require('https');
const readline = require('readline');
const WebSocket = require('ws');

const { args, out } = require('./cli');

let refuseStatus = args.refuse ? Number(args.refuse) : 0;
let refuseCount = args.refuse ? Infinity : 0;
const dieAfter = args['die-after-media'] ? Number(args['die-after-media']) : 0;
let connections = 0;
let newest = null;

const server = args['tls-pfx']
  ? https.createServer({ pfx: fs.readFileSync(args['tls-pfx']), passphrase: args['tls-pass'] })
  : http.createServer();
const wss = new WebSocket.Server({ noServer: true, perMessageDeflate: false, maxPayload: 64 << 20 });

server.on('upgrade', (req, socket, head) => {
  if (refuseCount > 0) {
    refuseCount--;
    out({ type: 'refused', status: refuseStatus });
    socket.end(`HTTP/1.1 ${refuseStatus} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req));
});

function summary(c) {
  return {
    conn: c.n, media: c.media, bytes: c.bytes, sha256: c.hash.copy().digest('hex'),
    timestamps: c.timestamps, sequence: c.sequence, chunks: c.chunks, tracks: [...c.tracks],
  };
}

function accept(ws, req) {
  const c = {
    n: ++connections, ws, media: 0, bytes: 0, hash: crypto.createHash('sha256'), timestamps: [], sequence: [],
    chunks: [], tracks: new Set(), streamSid: null,
  };
  newest = c;
  out({ type: 'upgrade', conn: c.n, url: req.url, headers: req.headers });
  ws.on('message', (data, isBinary) => {
    if (isBinary) { out({ type: 'binary', conn: c.n, bytes: data.length }); return; }
    let m;
    try { m = JSON.parse(data.toString()); } catch (e) { out({ type: 'bad-json', conn: c.n, text: data.toString() }); return; }
    c.sequence.push(m.sequenceNumber === undefined ? null : m.sequenceNumber);
    if (m.event === 'media') {
      const payload = Buffer.from(m.media.payload, 'base64');
      c.media++;
      c.bytes += payload.length;
      c.hash.update(payload);
      c.timestamps.push(Number(m.media.timestamp));
      c.chunks.push(Number(m.media.chunk));
      c.tracks.add(m.media.track);
      if (args.echo) {
        ws.send(JSON.stringify({ event: 'media', streamSid: c.streamSid, media: { payload: m.media.payload } }));
      }
      if (dieAfter > 0 && c.n === 1 && c.media === dieAfter) {
        out({ type: 'dying', conn: c.n, media: c.media });
        ws.terminate();
      }
    } else {
      if (m.event === 'start') c.streamSid = m.streamSid;
      out({ type: m.event || 'unknown', conn: c.n, msg: m });
    }
  });
  ws.on('close', (code, reason) => out(Object.assign({ type: 'closed', code, reason: reason.toString() }, summary(c))));
  ws.on('error', (e) => out({ type: 'error', conn: c.n, message: String(e.message) }));
}

async function command(cmd) {
  const c = newest;
  const ws = c && c.ws.readyState === WebSocket.OPEN ? c.ws : null;
  switch (cmd.cmd) {
    case 'refuse': refuseStatus = cmd.status; refuseCount = cmd.count === undefined ? Infinity : cmd.count; break;
    case 'report': out(Object.assign({ type: 'report', open: !!ws }, c ? summary(c) : { conn: 0 })); return;
    default:
      if (!ws) { out({ type: 'no-connection', cmd: cmd.cmd }); return; }
  }
  switch (cmd.cmd) {
    case 'media': {
      const bytes = Buffer.from(cmd.payload, 'base64');
      const n = cmd.chunk || bytes.length;
      for (let off = 0; off < bytes.length; off += n) {
        ws.send(JSON.stringify({ event: 'media', streamSid: c.streamSid,
          media: { payload: bytes.subarray(off, off + n).toString('base64') } }));
        if (cmd.paceMs) await new Promise((r) => setTimeout(r, cmd.paceMs));
      }
      break;
    }
    case 'mark': ws.send(JSON.stringify({ event: 'mark', streamSid: c.streamSid, mark: { name: cmd.name } })); break;
    case 'clear': ws.send(JSON.stringify({ event: 'clear', streamSid: c.streamSid })); break;
    case 'raw': ws.send(cmd.text); break;
    case 'binary': ws.send(Buffer.from([1, 2, 3]), { binary: true }); break;
    case 'terminate': ws.terminate(); break;
    case 'pause': ws.pause(); break;
    case 'resume': ws.resume(); break;
    case 'close': ws.close(cmd.code || 1000, 'bot done'); break;
    default: break;
  }
  out({ type: 'done', cmd: cmd.cmd });
}

// Commands run one after another, so a test's sequence (media, then mark) reaches the socket in order.
let chain = Promise.resolve();
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) return;
  const cmd = JSON.parse(line);
  chain = chain.then(() => command(cmd)).catch((e) => out({ type: 'error', message: String(e) }));
});
process.stdin.on('end', () => process.exit(0));

server.listen(0, '127.0.0.1', () => out({ type: 'listening', port: server.address().port }));

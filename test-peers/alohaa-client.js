// A telephony peer built on the real npm `ws` client, driven by the Java interop tests.
// It plays the Alohaa side: registers a call, streams RTP packets from an RFC 4571-framed file
// in one payload form, and prints one JSON line per thing it observes (messages, close).
//
// usage: node alohaa-client.js --url URL --call-id ID [--rtp FILE] [--form buffer|base64|binary]
//          [--swap-every N] [--token T] [--pace-ms MS] [--no-register] [--send-raw TEXT]
//          [--close-after-ms MS] [--hold-ms MS] [--big-bytes N [--big-fragments K]]
//          [--flood-invalid N] [--stop-reading] [--close-on-text TEXT]
// --big-bytes sends one binary message of N bytes after registering (in K fragments when given);
// --flood-invalid sends N texts that are not JSON; --stop-reading pauses the socket after the
// acknowledgement, so pings go unanswered (a caller whose network vanished); --close-on-text
// closes (1000) once a text message containing TEXT arrives (audio the relay played, say).
'use strict';
const fs = require('fs');
const WebSocket = require('ws');

const { args, out } = require('./cli');

function readPackets(file) {
  const data = fs.readFileSync(file);
  const packets = [];
  for (let off = 0; off + 2 <= data.length;) {
    const len = data.readUInt16BE(off);
    packets.push(data.subarray(off + 2, off + 2 + len));
    off += 2 + len;
  }
  return packets;
}

const headers = {};
if (args.token) headers.Authorization = 'Bearer ' + args.token;
const ws = new WebSocket(args.url, { headers, rejectUnauthorized: false, perMessageDeflate: false });
ws.on('open', async () => {
  out({ type: 'open' });
  if (args['send-raw']) ws.send(String(args['send-raw']));
  if (!args['no-register']) {
    ws.send(JSON.stringify({ event: 'connected', callId: args['call-id'], mobileNo: '4155551234' }));
  }
  if (args['big-bytes'] !== undefined) {
    const big = Buffer.alloc(Number(args['big-bytes']), 0x5a);
    const parts = Number(args['big-fragments'] || 1);
    const step = Math.ceil(big.length / parts);
    for (let off = 0; off < big.length; off += step) {
      const end = Math.min(big.length, off + step);
      ws.send(big.subarray(off, end), { binary: true, fin: end === big.length });
    }
    out({ type: 'sent-big', bytes: big.length, fragments: parts });
  }
  if (args['flood-invalid'] !== undefined) {
    const n = Number(args['flood-invalid']);
    for (let i = 0; i < n && ws.readyState === WebSocket.OPEN; i++) ws.send('not json ' + i);
    out({ type: 'flooded', messages: n });
  }
  if (args.rtp) {
    const packets = readPackets(args.rtp);
    const swap = Number(args['swap-every'] || 0);
    if (swap > 1) {
      for (let i = swap; i + 1 < packets.length; i += swap) {
        const t = packets[i]; packets[i] = packets[i + 1]; packets[i + 1] = t;
      }
    }
    const pace = Number(args['pace-ms'] || 0);
    const form = args.form || 'buffer';
    let ts = 1649433600000;
    for (const p of packets) {
      if (ws.readyState !== WebSocket.OPEN) break;
      if (form === 'binary') ws.send(p, { binary: true });
      else {
        const payload = form === 'base64' ? p.toString('base64') : p.toJSON();
        ws.send(JSON.stringify({ event: 'media', callId: args['call-id'], payload, timestamp: ts }));
      }
      ts += 20;
      if (pace > 0) await new Promise((r) => setTimeout(r, pace));
    }
    out({ type: 'sent', packets: packets.length });
  }
  if (args['close-after-ms'] !== undefined) {
    setTimeout(() => ws.close(1000, 'call ended'), Number(args['close-after-ms']));
  }
});
ws.on('message', (data, isBinary) => {
  out({ type: 'message', binary: isBinary, text: isBinary ? undefined : data.toString() });
  if (args['close-on-text'] && !isBinary && data.toString().includes(String(args['close-on-text']))) {
    ws.close(1000, 'heard it');
  }
  if (args['stop-reading'] && !isBinary && data.toString().includes('"connected"')) {
    ws._socket.pause();
    out({ type: 'stopped-reading' });
  }
});
ws.on('close', (code, reason) => {
  out({ type: 'close', code, reason: reason.toString() });
  process.exit(0);
});
ws.on('unexpected-response', (req, res) => {
  out({ type: 'http', status: res.statusCode, retryAfter: res.headers['retry-after'] });
  process.exit(0);
});
ws.on('error', (e) => out({ type: 'error', message: String(e.message) }));
setTimeout(() => { out({ type: 'timeout' }); process.exit(3); }, Number(args['hold-ms'] || 30000));

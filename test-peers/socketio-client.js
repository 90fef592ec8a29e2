// A Socket.IO v5 client over the WebSocket transport, built from the npm `ws` client and the
// reference encoders/decoders of the socket.io project (socket.io-parser, engine.io-parser, both
// pinned by package-lock.json as dependencies of socket.io). The Java tests drive it against
// relay-bench's FakeSocketIoServer: every packet it sends is what the reference encoder produces,
// every packet it reads goes through the reference decoder. One JSON line per observation.
//
// usage: node socketio-client.js --url http://127.0.0.1:PORT [--path /socket.io/] [--namespace /events]
//          [--query k=v&k2=v2] [--eio 4] [--transport websocket] [--chunks N] [--chunk-bytes B]
//          [--keywords JSON] [--hold-ms MS]
'use strict';
const WebSocket = require('ws');
const eio = require('engine.io-parser');
const sio = require('socket.io-parser');

const { args, out } = require('./cli');
const nsp = args.namespace || '/events';
const path = args.path || '/api/voice-streaming/socket.io/';
const base = new URL(args.url);
const query = new URLSearchParams(args.query || '');
query.set('EIO', args.eio || '4');
query.set('transport', args.transport || 'websocket');
const wsUrl = 'ws://' + base.host + path + '?' + query.toString();
const chunks = Number(args.chunks || 0);
const chunkBytes = Number(args['chunk-bytes'] || 640);

const encoder = new sio.Encoder();
const decoder = new sio.Decoder();
const ws = new WebSocket(wsUrl, { perMessageDeflate: false, headers: { Authorization: 'Bearer test-token' } });

function sendSocketIo(packet) {
  for (const part of encoder.encode(packet)) {
    if (typeof part === 'string') {
      eio.encodePacket({ type: 'message', data: part }, true, (encoded) => ws.send(encoded));
    } else {
      eio.encodePacket({ type: 'message', data: part }, true, (encoded) => ws.send(encoded, { binary: true }));
    }
  }
}

decoder.on('decoded', (packet) => {
  if (packet.type === sio.PacketType.CONNECT) {
    out({ type: 'connect', nsp: packet.nsp, sid: packet.data && packet.data.sid });
    if (args.keywords) {
      sendSocketIo({ type: sio.PacketType.EVENT, nsp, id: 7, data: ['set_keywords', JSON.parse(args.keywords)] });
    }
    for (let c = 0; c < chunks; c++) {
      const audio = Buffer.alloc(chunkBytes, c & 0xff);
      sendSocketIo({ type: sio.PacketType.EVENT, nsp, data: ['binary_data', audio] });
    }
    out({ type: 'sent', chunks });
  } else if (packet.type === sio.PacketType.CONNECT_ERROR) {
    out({ type: 'connect_error', nsp: packet.nsp, message: packet.data && packet.data.message });
    ws.close();
  } else if (packet.type === sio.PacketType.EVENT) {
    out({ type: 'event', nsp: packet.nsp, name: packet.data[0], arg: packet.data[1] });
  } else if (packet.type === sio.PacketType.ACK) {
    out({ type: 'ack', id: packet.id });
  } else if (packet.type === sio.PacketType.DISCONNECT) {
    out({ type: 'disconnect', nsp: packet.nsp });
  }
});

ws.on('message', (data, isBinary) => {
  const packet = eio.decodePacket(isBinary ? data : data.toString(), 'nodebuffer');
  if (packet.type === 'open') {
    out({ type: 'open', handshake: JSON.parse(packet.data) });
    sendSocketIo({ type: sio.PacketType.CONNECT, nsp, data: { token: 'test-token' } });
  } else if (packet.type === 'ping') {
    out({ type: 'ping' });
    eio.encodePacket({ type: 'pong' }, true, (encoded) => ws.send(encoded));
  } else if (packet.type === 'message') {
    decoder.add(packet.data);
  }
});
ws.on('unexpected-response', (req, res) => {
  let body = '';
  res.on('data', (d) => { body += d; });
  res.on('end', () => { out({ type: 'http', status: res.statusCode, body }); process.exit(0); });
});
ws.on('close', (code) => { out({ type: 'close', code }); process.exit(0); });
ws.on('error', (e) => out({ type: 'error', message: String(e.message) }));
setTimeout(() => { out({ type: 'done' }); ws.close(1000); }, Number(args['hold-ms'] || 1500));
setTimeout(() => { out({ type: 'timeout' }); process.exit(3); }, Number(args['hold-ms'] || 1500) + 5000);

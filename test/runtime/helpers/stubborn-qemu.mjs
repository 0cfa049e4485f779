#!/usr/bin/env node
// Stands in for QEMU where a real one will not misbehave: it connects to the monitor socket
// it is given (`-chardev socket,…,path=P,server=off`) and greets with QEMU 7.2's greeting,
// answers qmp_capabilities, never answers `quit`, and ignores SIGTERM: only SIGKILL ends it.
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';

const chardev = process.argv.find((a) => a.startsWith('socket,') && a.includes('path='));
const path = /path=([^,]+)/.exec(chardev)[1];
const greeting = JSON.parse(readFileSync(new URL('../../fixtures/runtime/qemu-7.2-qmp.json', import.meta.url), 'utf8'))[0].receive;
process.on('SIGTERM', () => process.stderr.write('stubborn: ignoring SIGTERM\n'));
const socket = connect(path);
socket.write(greeting);
let text = '';
socket.on('data', (chunk) => {
  text += chunk;
  let end;
  while ((end = text.indexOf('\n')) !== -1) {
    const request = JSON.parse(text.slice(0, end));
    text = text.slice(end + 1);
    if (request.execute !== 'quit') socket.write(`{"return": {}, "id": ${JSON.stringify(request.id)}}\r\n`);
  }
});
socket.on('error', () => {});
setInterval(() => {}, 1000);

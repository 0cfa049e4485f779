// Type tests of the committed QEMU 2.8.0 bindings, generated from the text documents.
import * as qmp from '../../generated/qemu-2.8.0/index.js';
import type { QmpCaller } from '../../runtime/index.js';

export async function qemu28(client: QmpCaller): Promise<void> {
  await qmp.eject(client, { device: 'ide1-cd0', force: true });
  // @ts-expect-error a misspelt argument
  await qmp.eject(client, { devise: 'ide1-cd0' });
  // 2.8 documents block_resize's device as required (the schema says optional): the text rules here.
  // @ts-expect-error device is required by the text documents
  await qmp.blockResize(client, { size: 1024 });
  const status = await qmp.queryStatus(client);
  const state: 'running' | string = status.status;
  void state;
}

// Asserts that the test suite left nothing attached: `snapshot FILE` records the BPF programs, maps
// and links loaded system-wide plus bpfscope's tracefs probe entries; `check FILE` compares the current
// state with it and fails listing whatever the tests left behind.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { inventoryDiff, takeInventory, type Inventory } from '../src/kernel/inventory.js';

const PROBE_EVENT_FILES = ['/sys/kernel/tracing/uprobe_events', '/sys/kernel/tracing/kprobe_events'];

function bpfscopeProbeEvents(): string[] {
  return PROBE_EVENT_FILES.filter((file) => existsSync(file))
    .flatMap((file) => readFileSync(file, 'utf8').split('\n'))
    .filter((line) => line.includes('bpfscope'));
}

function leftovers(before: Inventory): string[] {
  const diff = inventoryDiff(before, takeInventory());
  return [
    ...diff.programs.map((p) => `program id ${p.id} '${p.name}' (type ${p.type})`),
    ...diff.maps.map((m) => `map id ${m.id} '${m.name}' (type ${m.type})`),
    ...diff.links.map((l) => `link id ${l.id} (type ${l.type}, program ${l.programId})`),
    ...bpfscopeProbeEvents().map((line) => `tracefs probe event: ${line}`),
  ];
}

const [command, file] = process.argv.slice(2);
if (command === 'snapshot' && file) {
  writeFileSync(file, JSON.stringify(takeInventory()));
} else if (command === 'check' && file) {
  const before = JSON.parse(readFileSync(file, 'utf8')) as Inventory;
  // The kernel frees a closed program or map in deferred work after its last fd is gone.
  let remaining = leftovers(before);
  for (let attempt = 0; attempt < 30 && remaining.length > 0; attempt++) {
    await sleep(100);
    remaining = leftovers(before);
  }
  if (remaining.length > 0) {
    console.error(`leak check: the tests left ${remaining.length} kernel object(s) behind:`);
    for (const line of remaining) console.error(`  ${line}`);
    process.exit(1);
  }
  console.error('leak check: nothing left attached');
} else {
  console.error('usage: leak-check.ts snapshot|check FILE');
  process.exit(2);
}

// src/abi — the wire format between BPF programs and user space: value types and their byte layouts,
// how each kind of map stores its values, and the ring-buffer event records. Imported by the code
// generator and by the runtime's decoder; pure, imports nothing else from bpfscope.
export * from './types.js';
export * from './map-kinds.js';
export * from './events.js';

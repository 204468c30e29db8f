/**
 * The kernel module (built with AssemblyScript's --sharedMemory) imports a shared memory, which only a
 * runtime with SharedArrayBuffer can make: a browser page that is not cross-origin isolated has none.
 * This returns a copy of the module whose memory import is declared unshared instead. Nothing else
 * changes (the code uses no atomic instructions), so it computes the same bits on one thread.
 *
 * Binary format (WebAssembly core spec, 5.5): after the 8-byte header come sections `id size:u32
 * payload`; the import section (id 2) is `count:u32` entries of `module:name field:name kind desc`,
 * where a memory's desc (kind 2) is limits `flags min:u32 [max:u32]`, flags bit 1 meaning shared.
 */
export function withUnsharedMemory(wasm: Uint8Array): Uint8Array {
  const bytes = wasm.slice();
  let at = 8;
  const u32 = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  const skipName = () => {
    const length = u32();
    at += length;
  };
  const skipLimits = () => {
    const flags = bytes[at++];
    u32();
    if (flags & 1) u32();
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = u32();
    if (id !== 2) {
      at += size;
      continue;
    }
    for (let count = u32(); count > 0; count--) {
      skipName();
      skipName();
      const kind = bytes[at++];
      if (kind === 0)
        u32(); // function: type index
      else if (kind === 1) {
        at++; // table: element type, then limits
        skipLimits();
      } else if (kind === 2) {
        bytes[at] &= ~2;
        skipLimits();
      } else at += 2; // global: value type, mutability
    }
    return bytes;
  }
  return bytes;
}

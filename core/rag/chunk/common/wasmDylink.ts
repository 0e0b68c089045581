// Grammar modules built by older Emscripten (tree-sitter-cli 0.20, as in tree-sitter-wasms
// 0.1.x) open with a custom section named "dylink"; web-tree-sitter >= 0.25 reads only the
// newer "dylink.0" layout and refuses them ("need dylink section"). The two hold the same memory
// and table sizes and needed libraries, so this rewrites the old section into the new layout and
// leaves the rest of the module as it is.

/** The module with its legacy "dylink" section rewritten as "dylink.0"; other modules unchanged. */
export function upgradeDylinkSection(module: Uint8Array): Uint8Array {
  if (module.length < 10 || module[8] !== 0) return module;
  const reader = { bytes: module, offset: 9 };
  const size = readLeb(reader);
  const end = reader.offset + size;
  const name = readName(reader);
  if (name !== 'dylink') return module;
  const memoryInfo = [readLeb(reader), readLeb(reader), readLeb(reader), readLeb(reader)];
  const needed: Uint8Array[] = [];
  for (let count = readLeb(reader); count > 0; count--) {
    const length = readLeb(reader);
    needed.push(module.subarray(reader.offset, reader.offset + length));
    reader.offset += length;
  }
  const memory = memoryInfo.flatMap(leb);
  const subsections = [1, ...leb(memory.length), ...memory];
  if (needed.length > 0) {
    const list = [...leb(needed.length), ...needed.flatMap((n) => [...leb(n.length), ...n])];
    subsections.push(2, ...leb(list.length), ...list);
  }
  const newName = [...new TextEncoder().encode('dylink.0')];
  const content = [...leb(newName.length), ...newName, ...subsections];
  const section = [0, ...leb(content.length), ...content];
  const out = new Uint8Array(8 + section.length + module.length - end);
  out.set(module.subarray(0, 8));
  out.set(section, 8);
  out.set(module.subarray(end), 8 + section.length);
  return out;
}

interface Reader {
  readonly bytes: Uint8Array;
  offset: number;
}

function readLeb(reader: Reader): number {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = reader.bytes[reader.offset++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return value;
}

function readName(reader: Reader): string {
  const length = readLeb(reader);
  const name = new TextDecoder().decode(reader.bytes.subarray(reader.offset, reader.offset + length));
  reader.offset += length;
  return name;
}

/** Unsigned LEB128 bytes of `value`. */
function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

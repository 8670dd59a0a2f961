// Draws the add-in's icons (a rising survival curve over bars on a rounded tile) as PNGs
// in assets/, at the sizes the manifest names. Run again after changing the design:
//   node scripts/make-icons.mjs
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const SIZES = [16, 32, 64, 80, 128];
const TILE = [15, 108, 189]; // Fluent brand blue
const INK = [255, 255, 255];

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Coverage of the design at a point of the unit square: 0 none, 1 tile, 2 ink. */
function shade(u, v) {
  const radius = 0.2;
  const dx = Math.max(radius - u, 0, u - (1 - radius));
  const dy = Math.max(radius - v, 0, v - (1 - radius));
  if (dx * dx + dy * dy > radius * radius) return 0;
  // Three bars of falling height: a cohort's survivors.
  const bars = [
    [0.2, 0.34, 0.28],
    [0.43, 0.57, 0.45],
    [0.66, 0.8, 0.6],
  ];
  for (const [x0, x1, top] of bars) if (u >= x0 && u <= x1 && v >= top && v <= 0.8) return 2;
  return 1;
}

for (const size of SIZES) {
  const samples = 4; // 4×4 supersampling for smooth edges
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let tile = 0, ink = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const s = shade((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size);
          if (s === 1) tile++;
          if (s === 2) ink++;
        }
      }
      const n = samples * samples;
      const alpha = (tile + ink) / n;
      const i = (y * size + x) * 4;
      for (let k = 0; k < 3; k++) rgba[i + k] = alpha ? Math.round((TILE[k] * tile + INK[k] * ink) / (tile + ink)) : 0;
      rgba[i + 3] = Math.round(alpha * 255);
    }
  }
  writeFileSync(new URL(`../assets/icon-${size}.png`, import.meta.url), png(size, rgba));
}
console.log(`wrote assets/icon-{${SIZES.join(",")}}.png`);

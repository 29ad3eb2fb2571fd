/** Decodes PNGs with sharp (an independent decoder) for render tests. */
import sharp from 'sharp';

export interface Pixels {
  width: number;
  height: number;
  channels: number;
  data: Buffer;
}

export async function decode(png: Buffer): Promise<Pixels> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data };
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The region's pixels as RGB bytes, row by row. */
export function crop(p: Pixels, r: Region): Buffer {
  const out = Buffer.alloc(r.width * r.height * 3);
  let o = 0;
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let x = r.x; x < r.x + r.width; x++) {
      const i = (y * p.width + x) * p.channels;
      out[o++] = p.data[i];
      out[o++] = p.data[i + 1];
      out[o++] = p.data[i + 2];
    }
  }
  return out;
}

/** Pixels darker than near-white: what text, lines and grid put on the page. */
export function inked(rgb: Buffer, threshold = 200): number {
  let n = 0;
  for (let i = 0; i < rgb.length; i += 3) if (rgb[i] + rgb[i + 1] + rgb[i + 2] < threshold * 3) n++;
  return n;
}

export function distinctColours(rgb: Buffer): number {
  const seen = new Set<number>();
  for (let i = 0; i < rgb.length; i += 3) seen.add((rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2]);
  return seen.size;
}

/** Pixels within `tolerance` of a colour on each channel. */
export function countColour(rgb: Buffer, [r, g, b]: [number, number, number], tolerance = 24): number {
  let n = 0;
  for (let i = 0; i < rgb.length; i += 3) {
    if (Math.abs(rgb[i] - r) <= tolerance && Math.abs(rgb[i + 1] - g) <= tolerance && Math.abs(rgb[i + 2] - b) <= tolerance) n++;
  }
  return n;
}

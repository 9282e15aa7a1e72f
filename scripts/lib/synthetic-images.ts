import sharp from "sharp";

/**
 * A photo-like JPEG: sky/field gradient, shapes and sensor-grain noise, so it compresses like a
 * real camera photo (a flat test image would understate encode time and bytes). Deterministic
 * for a given seed. Optional GPS EXIF, as phones write it.
 */
export async function syntheticPhoto(
  seed: number,
  options: { width?: number; height?: number; gps?: boolean; quality?: number } = {},
): Promise<Buffer> {
  const width = options.width ?? 2400;
  const height = options.height ?? 1600;
  let state = seed * 2654435761;
  const rand = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const hue = Math.floor(rand() * 360);
  const shapes = Array.from({ length: 14 }, () => {
    const x = Math.floor(rand() * width);
    const y = Math.floor(height * 0.45 + rand() * height * 0.5);
    const r = Math.floor(40 + rand() * 220);
    return `<ellipse cx="${x}" cy="${y}" rx="${r * 1.6}" ry="${r}" fill="hsl(${(hue + rand() * 80) % 360} 45% ${25 + rand() * 35}%)" opacity="0.85"/>`;
  }).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="hsl(${(hue + 200) % 360} 60% 70%)"/><stop offset="0.5" stop-color="hsl(${(hue + 180) % 360} 40% 85%)"/>
      <stop offset="0.52" stop-color="hsl(${hue} 35% 40%)"/><stop offset="1" stop-color="hsl(${(hue + 30) % 360} 40% 25%)"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#sky)"/>${shapes}</svg>`;
  const noise = await sharp({
    create: { width, height, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 28 } },
  })
    .raw()
    .toBuffer();
  let image = sharp(Buffer.from(svg)).composite([{ input: noise, raw: { width, height, channels: 3 }, blend: "overlay" }]);
  if (options.gps) {
    image = image.withExif({
      IFD0: { Make: "ExamplePhone", Model: "Camera 1" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "37/1 26/1 48/1", GPSLongitudeRef: "E", GPSLongitude: "138/1 51/1 0/1" },
    });
  }
  return image.jpeg({ quality: options.quality ?? 88 }).toBuffer();
}

import { closeSync, openSync, writeSync } from 'node:fs';
import QRCode from 'qrcode';

/**
 * A .y4m video for Chromium's fake camera (`--use-file-for-fake-video-capture`): each code's QR
 * (as the pass page draws it: the code, error correction Q) on a white frame, shown for
 * `secondsEach`, with a blank gap after it. Grey-scale 4:2:0 (chroma planes flat), no ffmpeg needed.
 */
export function writeQrVideo(
  path: string,
  codes: string[],
  options: { width?: number; height?: number; fps?: number; secondsEach?: number; gapSeconds?: number } = {},
): void {
  const { width = 320, height = 240, fps = 10, secondsEach = 2, gapSeconds = 0.5 } = options;
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const blank = Buffer.alloc(width * height, 235);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
    const frame = (luma: Buffer, count: number) => {
      for (let i = 0; i < count; i += 1) {
        writeSync(fd, 'FRAME\n');
        writeSync(fd, luma);
        writeSync(fd, chroma);
      }
    };
    for (const code of codes) {
      frame(qrLuma(code, width, height), Math.round(secondsEach * fps));
      if (gapSeconds > 0) frame(blank, Math.round(gapSeconds * fps));
    }
  } finally {
    closeSync(fd);
  }
}

function qrLuma(code: string, width: number, height: number): Buffer {
  const qr = QRCode.create(code, { errorCorrectionLevel: 'Q' });
  const size = qr.modules.size;
  const quiet = 4;
  const scale = Math.floor((Math.min(width, height) * 0.85) / (size + 2 * quiet));
  const side = (size + 2 * quiet) * scale;
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  const luma = Buffer.alloc(width * height, 235);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      if (!qr.modules.get(y, x)) continue;
      for (let dy = 0; dy < scale; dy += 1) {
        const row = (top + (y + quiet) * scale + dy) * width;
        luma.fill(16, row + left + (x + quiet) * scale, row + left + (x + quiet + 1) * scale);
      }
    }
  }
  return luma;
}

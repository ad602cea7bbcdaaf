import QrScanner from 'qr-scanner';

export type CameraFailure = 'denied' | 'unavailable';

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}

/** Which decoder reads the camera: the browser's own BarcodeDetector where it exists, else qr-scanner's worker. */
export async function createDecoder(): Promise<{
  engine: 'barcode-detector' | 'qr-scanner';
  decode: (video: HTMLVideoElement) => Promise<string | null>;
}> {
  const native = (
    globalThis as { BarcodeDetector?: { new (options: { formats: string[] }): Detector; getSupportedFormats?: () => Promise<string[]> } }
  ).BarcodeDetector;
  const formats: string[] = native?.getSupportedFormats ? await native.getSupportedFormats().catch(() => []) : [];
  if (native && formats.includes('qr_code')) {
    const detector = new native({ formats: ['qr_code'] });
    return { engine: 'barcode-detector', decode: async (video) => (await detector.detect(video))[0]?.rawValue ?? null };
  }
  const worker = await QrScanner.createQrEngine();
  const canvas = document.createElement('canvas');
  return {
    engine: 'qr-scanner',
    decode: async (video) => {
      try {
        return (await QrScanner.scanImage(video, { qrEngine: worker, canvas, returnDetailedScanResult: true })).data || null;
      } catch {
        return null; // no code in this frame
      }
    },
  };
}

/**
 * Opens the back camera into `video` and decodes frames continuously. `onCode` gets the text and
 * the moment its frame was grabbed (for the frame-to-result measurement). Returns a stop function.
 */
export async function startCamera(
  video: HTMLVideoElement,
  onCode: (text: string, frameAt: number) => void,
): Promise<{ stop: () => void; engine: string }> {
  if (!navigator.mediaDevices?.getUserMedia) throw new CameraError('unavailable');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch (error) {
    const name = (error as DOMException).name;
    throw new CameraError(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable');
  }
  video.srcObject = stream;
  video.setAttribute('playsinline', '');
  video.muted = true;
  await video.play();
  const decoder = await createDecoder();
  let running = true;
  const loop = async () => {
    while (running) {
      const frameAt = performance.now();
      const text = video.readyState >= 2 ? await decoder.decode(video) : null;
      if (text && running) onCode(text, frameAt);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  };
  void loop();
  return {
    engine: decoder.engine,
    stop: () => {
      running = false;
      stream.getTracks().forEach((track) => track.stop());
    },
  };
}

export class CameraError extends Error {
  constructor(readonly failure: CameraFailure) {
    super(failure === 'denied' ? 'camera permission refused' : 'no camera');
  }
}

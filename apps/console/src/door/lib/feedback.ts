import type { Verdict } from './door-session';

export type Tone = 'admit' | 'warn' | 'refuse' | 'unknown';

export function toneOf(verdict: Verdict): Tone {
  if (verdict === 'success') return 'admit';
  if (verdict === 'already_used' || verdict === 'max_usages_reached') return 'warn';
  if (verdict === 'cant_verify') return 'unknown';
  return 'refuse';
}

let audio: AudioContext | undefined;

/** Call from the Start tap: browsers keep audio suspended until a gesture. */
export function unlockAudio(): void {
  try {
    audio ??= new AudioContext();
    void audio.resume().catch(() => undefined);
  } catch {
    audio = undefined;
  }
}

const BEEPS: Record<Tone, [number, number][]> = {
  admit: [[880, 0.12]],
  warn: [
    [520, 0.12],
    [520, 0.12],
  ],
  refuse: [[220, 0.45]],
  unknown: [[330, 0.2]],
};
const VIBRATIONS: Record<Tone, number | number[]> = { admit: 20, warn: [60, 60, 60], refuse: [60, 60, 60, 60, 60], unknown: 40 };

/** A distinct sound and vibration per outcome (no vibration on iOS: it has no Vibration API). */
export function signal(tone: Tone): void {
  navigator.vibrate?.(VIBRATIONS[tone]);
  if (!audio || audio.state !== 'running') return;
  let start = audio.currentTime;
  for (const [frequency, seconds] of BEEPS[tone]) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.value = 0.2;
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(start + seconds);
    start += seconds + 0.06;
  }
}

import type { AdmissionStatus, RulePassType } from '@passway/rules';
import { bytesToCodeHash, codeHashToBytes } from './code-hash';

/** One pass as the device keeps it: the scan rules plus what the result screen shows. No raw code. */
export interface LocalAdmission {
  codeHash: string;
  eventId: string;
  type: RulePassType;
  status: AdmissionStatus;
  validFrom: number | null;
  validUntil: number | null;
  maxUsages: number | null;
  usagesCount: number;
  name: string | null;
  holderName: string | null;
}

/**
 * How the offline copy lies on disk: one IndexedDB record per event and first character of the
 * code hash (64 per event), its admissions packed column by column into typed arrays. A 50,000-pass
 * event is then 64 records of a few tens of kilobytes instead of 50,000 objects, each carrying its
 * field names and its index entries (docs/door.md, "The offline copy").
 */
export interface AdmissionBucket {
  key: string;
  eventId: string;
  /** 32 bytes per admission: the SHA-256 of its code. */
  hashes: Uint8Array;
  /** validFrom, validUntil per admission, epoch ms; NaN for none. */
  times: Float64Array;
  /** maxUsages (-1: none), usagesCount, type and status, name, holder name (-1: none; else an index into strings). */
  numbers: Int32Array;
  /** Each distinct name once: many passes share a pass name. */
  strings: string[];
}

const HASH_BYTES = 32;
const NUMBERS = 5;
const TYPES: readonly RulePassType[] = ['single', 'multi'];
const STATUSES: readonly AdmissionStatus[] = ['active', 'used', 'revoked'];

export function bucketKey(admission: Pick<LocalAdmission, 'eventId' | 'codeHash'>): string {
  return `${admission.eventId}/${admission.codeHash[0]}`;
}

export function packBucket(key: string, eventId: string, admissions: readonly LocalAdmission[]): AdmissionBucket {
  const count = admissions.length;
  const hashes = new Uint8Array(count * HASH_BYTES);
  const times = new Float64Array(count * 2);
  const numbers = new Int32Array(count * NUMBERS);
  const strings: string[] = [];
  const indexOf = new Map<string, number>();
  const intern = (text: string | null): number => {
    if (text === null) return -1;
    let index = indexOf.get(text);
    if (index === undefined) {
      index = strings.push(text) - 1;
      indexOf.set(text, index);
    }
    return index;
  };
  admissions.forEach((admission, i) => {
    hashes.set(codeHashToBytes(admission.codeHash), i * HASH_BYTES);
    times[i * 2] = admission.validFrom ?? NaN;
    times[i * 2 + 1] = admission.validUntil ?? NaN;
    const at = i * NUMBERS;
    numbers[at] = admission.maxUsages ?? -1;
    numbers[at + 1] = admission.usagesCount;
    numbers[at + 2] = TYPES.indexOf(admission.type) * STATUSES.length + STATUSES.indexOf(admission.status);
    numbers[at + 3] = intern(admission.name);
    numbers[at + 4] = intern(admission.holderName);
  });
  return { key, eventId, hashes, times, numbers, strings };
}

export function unpackBucket(bucket: AdmissionBucket): LocalAdmission[] {
  const { hashes, times, numbers, strings, eventId } = bucket;
  const text = (index: number) => (index < 0 ? null : strings[index]);
  const time = (value: number) => (Number.isNaN(value) ? null : value);
  const admissions: LocalAdmission[] = [];
  for (let i = 0; i < hashes.length / HASH_BYTES; i += 1) {
    const at = i * NUMBERS;
    const kind = numbers[at + 2];
    admissions.push({
      codeHash: bytesToCodeHash(hashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES)),
      eventId,
      type: TYPES[Math.floor(kind / STATUSES.length)],
      status: STATUSES[kind % STATUSES.length],
      validFrom: time(times[i * 2]),
      validUntil: time(times[i * 2 + 1]),
      maxUsages: numbers[at] < 0 ? null : numbers[at],
      usagesCount: numbers[at + 1],
      name: text(numbers[at + 3]),
      holderName: text(numbers[at + 4]),
    });
  }
  return admissions;
}

import { deadLettersMigration } from '@passway/common';

/** Durable dead-lettering: poison events are kept in scans.dead_letters and can be replayed. */
export const DeadLetters1796000000000 = deadLettersMigration('scans');

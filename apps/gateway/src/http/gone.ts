import { HttpException, HttpStatus } from '@nestjs/common';

/** 410 with the JSON error body: a one-time link (invitation, pairing, verification, reset) that was used, withdrawn or expired. */
export const gone = (error: string, code: string) => new HttpException({ error, code }, HttpStatus.GONE);

import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { QueryFailedError } from 'typeorm';
import { toGrpcError } from '../rpc/domain-error.filter';
import { retryableDatabaseFailure, unstorableText } from './pg-errors';

const failed = (code: string, message: string) => new QueryFailedError('UPDATE …', [], Object.assign(new Error(message), { code }));

describe('database failures worth trying again', () => {
  it('names a lost connection, a deadlock and a serialization conflict, and nothing else', () => {
    assert.equal(
      retryableDatabaseFailure(failed('57P01', 'terminating connection due to administrator command'))?.code,
      'database_unavailable',
    );
    assert.equal(retryableDatabaseFailure(new Error('Connection terminated unexpectedly'))?.code, 'database_unavailable');
    assert.equal(retryableDatabaseFailure(failed('40P01', 'deadlock detected'))?.code, 'database_conflict');
    assert.equal(retryableDatabaseFailure(failed('40001', 'could not serialize access'))?.code, 'database_conflict');
    assert.equal(retryableDatabaseFailure(failed('23505', 'duplicate key value')), null);
    assert.equal(retryableDatabaseFailure(new TypeError('x is undefined')), null);
  });

  it('become UNAVAILABLE (a 503 at the gateway) for a command, never INTERNAL', () => {
    const logger = new Logger('test');
    logger.warn = () => undefined;
    logger.error = () => undefined;
    const deadlock = toGrpcError(failed('40P01', 'deadlock detected'), logger);
    assert.equal(deadlock.code, GrpcStatus.UNAVAILABLE);
    assert.equal(JSON.parse(deadlock.details).code, 'database_conflict');
    assert.equal(toGrpcError(new TypeError('bug'), logger).code, GrpcStatus.INTERNAL);
  });

  it('turn text PostgreSQL cannot store (a NUL) into INVALID_ARGUMENT (a 400), not INTERNAL', () => {
    const logger = new Logger('test');
    logger.error = () => undefined;
    const nul = toGrpcError(failed('22021', 'invalid byte sequence for encoding "UTF8": 0x00'), logger);
    assert.equal(nul.code, GrpcStatus.INVALID_ARGUMENT);
    assert.equal(JSON.parse(nul.details).code, 'invalid_text');
    assert.equal(unstorableText(failed('22P05', 'untranslatable character'))?.code, 'invalid_text');
    assert.equal(unstorableText(failed('23505', 'duplicate key value')), null);
  });
});

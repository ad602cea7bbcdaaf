import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The gateway's readiness check on its database. */
@Injectable()
export class DatabaseHealthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One round trip; rejects when the database cannot answer. */
  ping(): Promise<unknown> {
    return this.dataSource.query('SELECT 1');
  }
}

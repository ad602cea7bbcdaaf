import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The base of an app's repositories (docs/decisions.md, "Repositories hold every query"): the
 * service's DataSource, and the transaction a service opens when it writes through several
 * repositories at once, passing the manager to their methods.
 */
export abstract class DatabaseRepository {
  constructor(@InjectDataSource() protected readonly dataSource: DataSource) {}

  /** A transaction; inside a caller's (`within`), a nested one (a savepoint), so a failed attempt leaves the caller's usable. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>, within?: EntityManager): Promise<T> {
    return within ? within.transaction(work) : this.dataSource.transaction(work);
  }
}

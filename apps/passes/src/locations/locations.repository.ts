import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TenantCatalogRepository } from '../catalog/tenant-catalog.repository';
import { LocationEntity } from './entities/location.entity';

/** The queries behind locations. */
@Injectable()
export class LocationsRepository extends TenantCatalogRepository<LocationEntity> {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource, LocationEntity);
  }
}

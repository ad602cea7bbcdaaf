import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CONSUMER_GROUPS, EventConsumer, EventConsumers } from '@passway/common';
import { AdmissionsRepository } from './admissions.repository';

type ProjectedEvent = 'pass.created' | 'pass.updated' | 'pass.status_changed' | 'event.created' | 'event.updated';

/** Projects the passes service's pass and event events into scans.admissions (every pass's scan rules) and scans.events. */
@Injectable()
export class AdmissionsProjectionConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: EventConsumer<ProjectedEvent>;

  constructor(consumers: EventConsumers, admissions: AdmissionsRepository) {
    this.consumer = consumers.create({
      group: CONSUMER_GROUPS.scansAdmissions,
      types: ['pass.created', 'pass.updated', 'pass.status_changed', 'event.created', 'event.updated'],
      // Its lag decides at every scan whether an unknown code needs the passes service's word.
      caughtUpLagProbeIntervalMs: 500,
      handle: async (event, manager) => {
        if (event.type === 'event.created' || event.type === 'event.updated') await admissions.applyEvent(event.data, manager);
        else await admissions.apply(event.data, manager);
      },
    });
  }

  /** How current the projection is: the consumer group's lag. */
  lagMs(): number {
    return this.consumer.lagMs();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}

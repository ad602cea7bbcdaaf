import { projectScript } from './project-scripts';

/**
 * A multi-broker KRaft Kafka cluster in containers, for reliability tests. Every node is a
 * combined broker + controller on its own Docker network; the host reaches each broker at
 * 127.0.0.1:<its mapped port>, which is also what the broker advertises. Topics default to
 * replication factor = size and min.insync.replicas = size - 1 (3 and 2).
 *
 *   const cluster = await startKafkaCluster();
 *   const env = { ...process.env, KAFKA_BROKERS: cluster.brokers, KAFKA_TOPIC_REPLICATION_FACTOR: '3' };
 *   await cluster.kill(await cluster.leaderOf('passway.pass-events.v1', 0));
 *   ...
 *   await cluster.stop();
 *
 * Needs the Docker engine and the Kafka image that `npm test` prepares (PASSWAY_KAFKA_IMAGE).
 */
export interface KafkaCluster {
  /** "127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3", for KAFKA_BROKERS. */
  brokers: string;
  brokerList: string[];
  /** Node ids, 1..size. */
  brokerIds: number[];
  brokerAddress(id: number): string;
  containerId(id: number): string;
  /** The node id leading a partition, from the cluster's metadata. */
  leaderOf(topic: string, partition?: number): Promise<number>;
  /** SIGKILLs the broker's container: a crash, no controlled shutdown. */
  kill(id: number): Promise<void>;
  /** SIGTERM: a controlled shutdown. */
  stopBroker(id: number, timeoutSeconds?: number): Promise<void>;
  /** Starts a killed or stopped broker again (same port, same data); resolves once every broker is registered. */
  start(id: number): Promise<void>;
  /** Freezes / thaws the broker's processes (it stops answering but keeps its connections). */
  pause(id: number): Promise<void>;
  unpause(id: number): Promise<void>;
  /** Removes the containers and the network. Also done on exit, SIGINT and SIGTERM. */
  stop(): Promise<void>;
}

export interface KafkaClusterOptions {
  /** Brokers (default 3). */
  size?: number;
  /** min.insync.replicas (default size - 1). */
  minInsync?: number;
  /** Image (default PASSWAY_KAFKA_IMAGE: apache/kafka, or the image built here when no registry answers). */
  image?: string;
  log?: (line: string) => void;
}

export function startKafkaCluster(options: KafkaClusterOptions = {}): Promise<KafkaCluster> {
  return projectScript('containers').startKafkaCluster(options);
}

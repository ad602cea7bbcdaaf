#!/bin/sh
# The official image's health probe, same name and arguments (--bootstrap-server HOST:PORT).
exec java -Dlog4j.configuration=file:/opt/kafka/config/log4j.properties -Xmx64m -XX:TieredStopAtLevel=1 \
  -cp '/opt/kafka/libs/*' kafka.admin.BrokerApiVersionsCommand "$@"

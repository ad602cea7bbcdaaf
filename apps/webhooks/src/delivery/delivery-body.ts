/** The JSON body every attempt of a delivery POSTs (and the delivery log shows): one place builds it. */
export function deliveryBody(type: string, occurredAt: Date, data: unknown): string {
  return JSON.stringify({ type, timestamp: occurredAt.toISOString(), data });
}

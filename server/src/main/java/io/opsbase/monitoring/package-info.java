/**
 * Monitoring: agents' samples into the embedded {@code metrics-store}, and the series and graph
 * queries on them. The ingest path is a bounded producer–consumer queue: the HTTP thread validates
 * a signed batch and queues it; consumer threads map series and append; the agent is answered only
 * when its batch is durable, and a full queue answers 429 with {@code Retry-After} so the agent keeps
 * the batch in its outbox.
 */
package io.opsbase.monitoring;

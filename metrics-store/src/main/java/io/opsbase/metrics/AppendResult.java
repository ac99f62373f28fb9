package io.opsbase.metrics;

/**
 * What became of a batch: accepted samples are in the store (and, once the future completes, in
 * the WAL on stable storage); rejected ones were older than the out-of-order tolerance or than
 * the last sealed window and are dropped.
 */
public record AppendResult(int accepted, int rejected) {
}

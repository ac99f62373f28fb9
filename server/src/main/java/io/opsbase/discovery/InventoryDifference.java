package io.opsbase.discovery;

/**
 * One accepted difference between a host's CI and its new inventory.
 *
 * @param field  {@code name}, {@code attributes.<name>} or {@code component.<kind>[<identity>]}
 * @param before the old value (a component's attributes), null when it was absent
 * @param after  the new value, null when it disappeared
 */
public record InventoryDifference(String field, Object before, Object after) {
}

package io.opsbase.platform;

import java.util.List;
import java.util.function.Function;

/**
 * The one list shape every {@code /api} list endpoint answers: the items, an opaque cursor for
 * the next page ({@code null} on the last page) and, where it is cheap, the total.
 */
public record Page<T>(List<T> items, String next, Long total) {

    public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
        return new Page<>(items.stream().<R>map(mapper).toList(), next, total);
    }

    public static <T> Page<T> of(List<T> items) {
        return new Page<>(items, null, (long) items.size());
    }
}

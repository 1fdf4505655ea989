package dev.flinkrag.testing;

import org.apache.flink.api.common.functions.MapFunction;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Records every element it sees in a JVM-wide queue (MiniCluster tasks share the test JVM). */
public final class CollectingMap<T> implements MapFunction<T, T> {

    public static final Queue<Object> SEEN = new ConcurrentLinkedQueue<>();

    @Override
    public T map(T value) {
        SEEN.add(value);
        return value;
    }
}

package dev.flinkrag.embedding;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the {@link ServiceLoader} implementations of a factory interface visible to the interface's own loader (the
 * SQL jar's, when it was added with {@code ADD JAR}: a SQL gateway plans with another context loader) and to the
 * context loader (a job's jar on a cluster); the own loader's come first.
 */
@Internal
public final class ServiceFactories {

    private ServiceFactories() {}

    public static <F> List<F> load(Class<F> type) {
        List<F> factories = new ArrayList<>();
        ClassLoader own = type.getClassLoader();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        for (ClassLoader loader : context == null || context == own ? List.of(own) : List.of(own, context)) {
            ServiceLoader.load(type, loader).forEach(factories::add);
        }
        return factories;
    }
}

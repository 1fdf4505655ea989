package dev.flinkrag.table;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.factories.DynamicTableFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** What the SQL table factories share: handing a table's string options to the Java builders they configure. */
@Internal
public final class TableOptions {

    private TableOptions() {}

    /** The table's options whose keys are among {@code options} (a builder refuses keys it does not know). */
    public static Map<String, String> only(DynamicTableFactory.Context context, Collection<ConfigOption<?>> options) {
        Set<String> keys = options.stream().map(ConfigOption::key).collect(Collectors.toSet());
        Map<String, String> selected = new HashMap<>();
        context.getCatalogTable().getOptions().forEach((key, value) -> {
            if (keys.contains(key)) {
                selected.put(key, value);
            }
        });
        return selected;
    }

    /** Builds with {@code build}; a builder's refusal becomes a {@link ValidationException} naming the table. */
    public static <T> T build(DynamicTableFactory.Context context, String connector,
            Function<Map<String, String>, T> build, Map<String, String> options) {
        return build(context, connector, () -> build.apply(options));
    }

    public static <T> T build(DynamicTableFactory.Context context, String connector, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ValidationException("invalid '" + connector + "' table "
                    + context.getObjectIdentifier().asSummaryString() + ": " + e.getMessage(), e);
        }
    }
}

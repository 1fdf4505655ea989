package dev.flinkrag.common;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The {@link ConfigOption}s of one integration, each with the Java setter that sets it and the check it must pass,
 * so that options read from a string map (SQL {@code WITH} clauses, job arguments) and options set through a builder
 * are validated by the same rules, and each failure names what the user wrote: the key, or the setter.
 */
@Internal
public final class OptionSpec {

    private record Entry<T>(ConfigOption<T> option, String setter, Predicate<? super T> check, String requirement,
            boolean required) {}

    private final String owner;
    private final List<Entry<?>> entries = new ArrayList<>();

    private OptionSpec(String owner) {
        this.owner = owner;
    }

    /** @param owner how a Java user reaches the setters, e.g. {@code "ParsingOptions.builder()"} */
    public static OptionSpec of(String owner) {
        return new OptionSpec(owner);
    }

    public <T> OptionSpec option(ConfigOption<T> option, String setter) {
        return option(option, setter, value -> true, "");
    }

    /** An option whose value must pass {@code check}; {@code requirement} completes "must be …". */
    public <T> OptionSpec option(ConfigOption<T> option, String setter, Predicate<? super T> check, String requirement) {
        entries.add(new Entry<>(option, setter, check, requirement, false));
        return this;
    }

    /** An option without default that must be given. */
    public <T> OptionSpec required(ConfigOption<T> option, String setter) {
        return required(option, setter, value -> true, "");
    }

    public <T> OptionSpec required(ConfigOption<T> option, String setter, Predicate<? super T> check, String requirement) {
        entries.add(new Entry<>(option, setter, check, requirement, true));
        return this;
    }

    public Set<ConfigOption<?>> options() {
        Set<ConfigOption<?>> options = new LinkedHashSet<>();
        entries.forEach(entry -> options.add(entry.option()));
        return Collections.unmodifiableSet(options);
    }

    /** Every key, sorted, for messages. */
    public Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        entries.forEach(entry -> keys.add(entry.option().key()));
        return keys;
    }

    /**
     * The known options of {@code map}; a key that starts with one of {@code ownedPrefixes} (or, with none given,
     * any key) but is not one of these options is refused, naming it and the known keys.
     */
    public Configuration fromMap(Map<String, String> map, String... ownedPrefixes) {
        Set<String> known = keys();
        Configuration values = new Configuration();
        for (Map.Entry<String, String> option : map.entrySet()) {
            String key = option.getKey();
            if (known.contains(key) || deprecatedKeyOf(key)) {
                values.setString(key, option.getValue());
            } else if (owned(key, ownedPrefixes)) {
                throw new IllegalArgumentException("unknown option '" + key + "'; known: " + known);
            }
        }
        return values;
    }

    /** Checks every option, naming the key (options from a map) or the setter (options from a builder). */
    public void validate(ReadableConfig values, boolean setThroughBuilder) {
        for (Entry<?> entry : entries) {
            check(entry, values, setThroughBuilder);
        }
    }

    private <T> void check(Entry<T> entry, ReadableConfig values, boolean setThroughBuilder) {
        T value = values.getOptional(entry.option()).orElse(
                entry.option().hasDefaultValue() ? entry.option().defaultValue() : null);
        String name = setThroughBuilder ? owner + "." + entry.setter() + "(…)" : "option '" + entry.option().key() + "'";
        if (value == null) {
            if (entry.required()) {
                throw new IllegalArgumentException(name + " is required");
            }
            return;
        }
        if (!entry.check().test(value)) {
            throw new IllegalArgumentException(name + " must be " + entry.requirement() + ", was "
                    + (setThroughBuilder ? String.valueOf(value) : "'" + value + "'"));
        }
    }

    private boolean deprecatedKeyOf(String key) {
        for (Entry<?> entry : entries) {
            for (var fallback : entry.option().fallbackKeys()) {
                if (fallback.getKey().equals(key)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean owned(String key, String[] prefixes) {
        if (prefixes.length == 0) {
            return true;
        }
        for (String prefix : prefixes) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

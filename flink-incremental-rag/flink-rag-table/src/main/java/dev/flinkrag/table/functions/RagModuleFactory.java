package dev.flinkrag.table.functions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModuleFactory;
import org.apache.flink.table.module.Module;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code LOAD MODULE flinkrag WITH (…)}: the {@link RagModule}, with {@code model.*} and {@code embedding.*} options. */
@Internal
public final class RagModuleFactory implements ModuleFactory {

    public static final String IDENTIFIER = "flinkrag";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return FunctionOptions.keys();
    }

    @Override
    public Module createModule(Context context) {
        FactoryUtil.createModuleFactoryHelper(this, context).validate();
        Map<String, String> options = new HashMap<>(context.getOptions());
        FunctionOptions.checked(options, "LOAD MODULE " + IDENTIFIER);
        return new RagModule(options);
    }
}

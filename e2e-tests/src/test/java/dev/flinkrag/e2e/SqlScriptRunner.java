package dev.flinkrag.e2e;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a SQL script statement by statement in a local streaming TableEnvironment, waiting for each INSERT:
 * started by {@link SqlJarIT} in a JVM whose classpath is only Flink and the connectors' -sql jar.
 */
public final class SqlScriptRunner {

    private SqlScriptRunner() {}

    public static void main(String[] args) throws Exception {
        TableEnvironment tables = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        for (String statement : Files.readString(Path.of(args[0])).split(";")) {
            if (statement.isBlank()) {
                continue;
            }
            TableResult result = tables.executeSql(statement);
            if (statement.strip().toUpperCase().startsWith("INSERT")) {
                result.await();
            }
        }
        System.out.println("script done");
    }
}

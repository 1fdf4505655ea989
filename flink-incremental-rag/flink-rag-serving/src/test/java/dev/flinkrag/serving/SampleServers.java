package dev.flinkrag.serving;

import dev.flinkrag.serving.index.ServedIndex;
import dev.flinkrag.serving.security.AccessControl;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** The sample index in every store kind, each with a server on a free port. */
public final class SampleServers implements AutoCloseable {

    private final Map<ServedStores, ServedIndex> indexes = new EnumMap<>(ServedStores.class);
    private final Map<ServedStores, RagServer> servers = new EnumMap<>(ServedStores.class);

    public static SampleServers start(Path dir, AccessControl access) throws Exception {
        SampleServers started = new SampleServers();
        for (ServedStores store : ServedStores.values()) {
            ServedIndex index = store.write(dir.resolve(store.name()));
            started.indexes.put(store, index);
            started.servers.put(store, ServedStores.serve(index, access));
        }
        return started;
    }

    public ServedIndex index(ServedStores store) {
        return indexes.get(store);
    }

    public HttpTestClient client(ServedStores store) {
        return new HttpTestClient(servers.get(store).port());
    }

    @Override
    public void close() throws Exception {
        for (ServedStores store : ServedStores.values()) {
            servers.get(store).close();
            indexes.get(store).close();
        }
    }
}

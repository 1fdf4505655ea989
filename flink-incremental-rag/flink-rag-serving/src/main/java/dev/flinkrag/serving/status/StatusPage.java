package dev.flinkrag.serving.status;

import org.apache.flink.annotation.Internal;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The status page: static HTML, CSS and JavaScript from this jar (no build step), calling the API it is served
 * with. Its policy lets it load only itself and call only this server, so a chunk's text can never run as script.
 */
@Internal
public final class StatusPage {

    private static final String FOLDER = "/dev/flinkrag/serving/ui/";
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private record Resource(byte[] content, String contentType) {}

    private final Map<String, Resource> resources = new LinkedHashMap<>();

    public StatusPage() {
        resources.put("/", load("index.html", "text/html; charset=utf-8"));
        resources.put("/ui/app.js", load("app.js", "text/javascript; charset=utf-8"));
        resources.put("/ui/page.css", load("page.css", "text/css; charset=utf-8"));
    }

    /** The routes it answers, for the server to register under GET. */
    public Iterable<String> paths() {
        return resources.keySet();
    }

    public void serve(Context ctx) {
        Resource resource = resources.get(ctx.path());
        ctx.header("Content-Security-Policy", POLICY)
                .header("Cache-Control", "no-cache")
                .contentType(resource.contentType())
                .result(resource.content());
    }

    private static Resource load(String name, String contentType) {
        try (InputStream in = StatusPage.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + FOLDER + name + " is missing from the jar");
            }
            return new Resource(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

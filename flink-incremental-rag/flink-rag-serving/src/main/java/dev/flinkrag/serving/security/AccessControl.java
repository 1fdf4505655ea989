package dev.flinkrag.serving.security;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.logical.And;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who may call the server and what they may see. Without tokens every caller is let in unscoped. With tokens,
 * a request must carry {@code Authorization: Bearer <token>}; a token is either unscoped or belongs to a tenant,
 * and every search, listing and figure of a tenant's caller is limited to the documents whose {@code tenantField}
 * equals the tenant: the condition is joined to the caller's own filter as a parsed expression (never as text),
 * so no filter can widen it.
 *
 * <p>Tokens are compared by their SHA-256 digests, against every known token without stopping at a match, so the
 * time a check takes says nothing about how much of a guess was right.
 */
@PublicEvolving
public final class AccessControl {

    /** A caller let in: unscoped ({@code tenant == null}) or limited to one tenant. */
    public record Caller(@Nullable String tenant) {
        public static final Caller UNSCOPED = new Caller(null);
    }

    private record Credential(byte[] digest, @Nullable String tenant) {}

    private final List<Credential> credentials;
    private final String tenantField;

    private AccessControl(List<Credential> credentials, String tenantField) {
        this.credentials = credentials;
        this.tenantField = tenantField;
    }

    /** No authentication: every caller unscoped (the default, on a loopback address). */
    public static AccessControl open() {
        return new AccessControl(List.of(), "tenant");
    }

    /**
     * Token authentication.
     *
     * @param unscopedToken a token with access to everything, or {@code null}
     * @param tenantTokens tokens by tenant
     * @param tenantField the document metadata field that holds a document's tenant
     */
    public static AccessControl withTokens(@Nullable String unscopedToken, Map<String, String> tenantTokens,
            String tenantField) {
        List<Credential> credentials = new ArrayList<>();
        if (unscopedToken != null) {
            credentials.add(new Credential(digest(requireUsable(unscopedToken, "the unscoped token")), null));
        }
        tenantTokens.forEach((tenant, token) -> credentials.add(
                new Credential(digest(requireUsable(token, "the token of tenant '" + tenant + "'")), tenant)));
        if (credentials.isEmpty()) {
            throw new IllegalArgumentException("token authentication needs at least one token");
        }
        return new AccessControl(List.copyOf(credentials), tenantField);
    }

    /**
     * Parses tenant tokens written as {@code tenant=token} pairs separated by commas or new lines (the form of the
     * environment variable {@code auth.tenant-tokens-env} names). Messages never contain a token.
     */
    public static Map<String, String> parseTenantTokens(String pairs) {
        Map<String, String> tokens = new java.util.LinkedHashMap<>();
        int index = 0;
        for (String pair : pairs.split("[,\n]")) {
            index++;
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException("tenant token pair " + index + " is not of the form tenant=token");
            }
            String tenant = pair.substring(0, eq).trim();
            if (tokens.put(tenant, pair.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("tenant '" + tenant + "' has two tokens");
            }
        }
        return tokens;
    }

    public boolean requiresToken() {
        return !credentials.isEmpty();
    }

    /** The caller an {@code Authorization} header identifies; a 401 if a token is needed and this is not one. */
    public Caller authenticate(@Nullable String authorization) {
        if (credentials.isEmpty()) {
            return Caller.UNSCOPED;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new NotAuthenticatedException("this server needs 'Authorization: Bearer <token>'");
        }
        byte[] presented = digest(authorization.substring(7).trim());
        Credential matched = null;
        for (Credential credential : credentials) {
            if (MessageDigest.isEqual(credential.digest(), presented) && matched == null) {
                matched = credential;
            }
        }
        if (matched == null) {
            throw new NotAuthenticatedException("the bearer token is not valid");
        }
        return new Caller(matched.tenant());
    }

    /** {@code requested} limited to what {@code caller} may see. */
    @Nullable
    public Filter scope(Caller caller, @Nullable Filter requested) {
        if (caller.tenant() == null) {
            return requested;
        }
        Filter tenant = new IsEqualTo(tenantField, caller.tenant());
        return requested == null ? tenant : new And(tenant, requested);
    }

    private static String requireUsable(String token, String what) {
        if (token.isBlank() || token.length() < 16) {
            throw new IllegalArgumentException(what + " must be at least 16 characters long");
        }
        return token;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}

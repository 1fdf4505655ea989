package dev.flinkrag.serving.api;

import org.apache.flink.annotation.Internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fields of one request as Pathway's server reads them: the JSON object of a POST body, with query-string
 * parameters filling in the keys the body lacks (their values are strings, so numbers and booleans are also read
 * from strings). A field of the wrong type is a 400 naming it.
 */
@Internal
public final class RequestFields {

    private final ObjectNode fields;

    private RequestFields(ObjectNode fields) {
        this.fields = fields;
    }

    public static RequestFields of(ObjectMapper json, String body, Map<String, List<String>> queryParameters) {
        ObjectNode fields;
        if (body == null || body.isBlank()) {
            fields = json.createObjectNode();
        } else {
            JsonNode parsed;
            try {
                parsed = json.readTree(body);
            } catch (JsonProcessingException e) {
                throw ApiException.badRequest("the request body is not JSON: " + e.getOriginalMessage());
            }
            if (!(parsed instanceof ObjectNode object)) {
                throw ApiException.badRequest("the request body must be a JSON object");
            }
            fields = object;
        }
        queryParameters.forEach((name, values) -> {
            if (!fields.has(name) && !values.isEmpty()) {
                fields.set(name, TextNode.valueOf(values.get(0)));
            }
        });
        return new RequestFields(fields);
    }

    private boolean absent(String name) {
        JsonNode value = fields.get(name);
        return value == null || value.isNull();
    }

    public String requiredString(String name) {
        String value = optionalString(name);
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("field '" + name + "' is required");
        }
        return value;
    }

    @Nullable
    public String optionalString(String name) {
        if (absent(name)) {
            return null;
        }
        JsonNode value = fields.get(name);
        if (!value.isTextual()) {
            throw ApiException.badRequest("field '" + name + "' must be a string, was " + value.getNodeType().name().toLowerCase());
        }
        return value.textValue();
    }

    public int integer(String name, int defaultValue, int min, int max) {
        if (absent(name)) {
            return defaultValue;
        }
        JsonNode value = fields.get(name);
        long number;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            number = value.longValue();
        } else if (value.isTextual() && value.textValue().trim().matches("-?\\d{1,18}")) {
            number = Long.parseLong(value.textValue().trim());
        } else {
            throw ApiException.badRequest("field '" + name + "' must be a whole number, was " + abbreviated(value));
        }
        if (number < min || number > max) {
            throw ApiException.badRequest("field '" + name + "' must be from " + min + " to " + max + ", was " + number);
        }
        return (int) number;
    }

    public boolean bool(String name, boolean defaultValue) {
        if (absent(name)) {
            return defaultValue;
        }
        JsonNode value = fields.get(name);
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && (value.textValue().equalsIgnoreCase("true") || value.textValue().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(value.textValue());
        }
        throw ApiException.badRequest("field '" + name + "' must be true or false, was " + abbreviated(value));
    }

    /** A JSON array of strings (or, from a query string, its JSON text). */
    public List<String> stringList(String name) {
        if (absent(name)) {
            throw ApiException.badRequest("field '" + name + "' is required");
        }
        JsonNode value = fields.get(name);
        if (value.isTextual()) {
            try {
                value = new ObjectMapper().readTree(value.textValue());
            } catch (JsonProcessingException e) {
                throw ApiException.badRequest("field '" + name + "' must be a JSON array of strings");
            }
        }
        if (!value.isArray()) {
            throw ApiException.badRequest("field '" + name + "' must be an array of strings");
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw ApiException.badRequest("field '" + name + "' must hold only strings, element " + strings.size()
                        + " is " + element.getNodeType().name().toLowerCase());
            }
            strings.add(element.textValue());
        }
        return strings;
    }

    private static String abbreviated(JsonNode value) {
        String text = value.isTextual() ? "'" + value.textValue() + "'" : value.toString();
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
